#!/usr/bin/env bash
# Builds the JVM images (coordinator, worker, CLI) from docker/*.Dockerfile with buildah, and checks what they contain.
#   docker/build-images.sh             against the real base images (needs a registry: Docker Hub)
#   docker/build-images.sh --stand-in  against stand-in base images made here (no registry reachable): a Debian
#                                      bookworm rootfs (debootstrap) with this machine's JDK 17, tagged as
#                                      maven:3.9-eclipse-temurin-17 and eclipse-temurin:17-jre
# The Maven build inside reuses ~/.m2 (mounted), as a CI cache would, does not compile tests, and may open as many files
# as this shell may (buildah's default limit was too few for javac on the coordinator's test classpath). Native images
# need GraalVM: not built here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

stand_in=false
for arg in "$@"; do
  case "$arg" in
    --stand-in) stand_in=true ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "build-images.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

export STORAGE_DRIVER=vfs BUILDAH_ISOLATION=chroot
buildah=(buildah --storage-driver vfs)
m2="${HOME}/.m2"
mkdir -p "$m2"

if $stand_in; then
  java_home="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
  rootfs="$(mktemp -d)/rootfs"
  echo "build-images: stand-in base: debootstrap bookworm + ${java_home}"
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >/dev/null
  mkdir -p "$rootfs/usr/lib/jvm"
  cp -a "$java_home" "$rootfs/usr/lib/jvm/"
  [[ -d /etc/java-17-openjdk ]] && cp -a /etc/java-17-openjdk "$rootfs/etc/"
  [[ -d /etc/ssl/certs/java ]] && mkdir -p "$rootfs/etc/ssl/certs" && cp -a /etc/ssl/certs/java "$rootfs/etc/ssl/certs/"
  for tool in java javac; do ln -sf "/usr/lib/jvm/$(basename "$java_home")/bin/$tool" "$rootfs/usr/bin/$tool"; done
  container=$("${buildah[@]}" from scratch)
  "${buildah[@]}" copy "$container" "$rootfs" / >/dev/null
  "${buildah[@]}" config --env "JAVA_HOME=/usr/lib/jvm/$(basename "$java_home")" "$container"
  for tag in docker.io/library/maven:3.9-eclipse-temurin-17 docker.io/library/eclipse-temurin:17-jre; do
    "${buildah[@]}" commit -q "$container" "$tag" >/dev/null
  done
  "${buildah[@]}" rm "$container" >/dev/null
  rm -rf "$(dirname "$rootfs")"
fi

pull=()
$stand_in && pull=(--pull=never)
# each build's whole output is kept (Maven's errors are in it) and shown when a build fails
logs=target/build-images
mkdir -p "$logs"
for service in coordinator worker cli; do
  echo "build-images: dagctl/${service}:0.1.0 from docker/${service}.Dockerfile"
  log="${logs}/${service}.log"
  if ! "${buildah[@]}" bud --isolation chroot --format docker "${pull[@]}" --layers=false --ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" \
      -v "${m2}:/root/.m2" -f "docker/${service}.Dockerfile" -t "dagctl/${service}:0.1.0" . >"$log" 2>&1; then
    echo "build-images: building dagctl/${service} failed; the last lines of ${log}:" >&2
    tail -n 80 "$log" >&2
    df -h . /var/lib/containers 2>/dev/null >&2 || true
    exit 1
  fi
done

# what the images must be: non-root, a health check (services), the app in /app, and tools the worker's tasks use
check() { echo "build-images: check ${1}: ${2}"; }
for service in coordinator worker cli; do
  config=$("${buildah[@]}" inspect --type image --format '{{.Docker.Config.User}}|{{.Docker.Config.Healthcheck}}|{{.Docker.Config.Entrypoint}}|{{.Docker.Config.ExposedPorts}}' "dagctl/${service}:0.1.0")
  [[ "${config%%|*}" == 10001:10001 ]] || { echo "build-images: ${service} runs as '${config%%|*}', not 10001 (dagctl)" >&2; exit 1; }
  check "$service" "$config"
done
"${buildah[@]}" inspect --type image --format '{{.Docker.Config.Healthcheck}}' dagctl/coordinator:0.1.0 | grep -q /q/health/live
"${buildah[@]}" inspect --type image --format '{{.Docker.Config.ExposedPorts}}' dagctl/coordinator:0.1.0 | grep -q 8080
"${buildah[@]}" inspect --type image --format '{{.Docker.Config.ExposedPorts}}' dagctl/worker:0.1.0 | grep -q 8081
ctr=$("${buildah[@]}" from --pull=never dagctl/worker:0.1.0)
trap '"${buildah[@]}" rm "$ctr" >/dev/null 2>&1 || true' EXIT
"${buildah[@]}" run --isolation chroot "$ctr" -- bash -c 'java -version 2>&1 | head -1 && bash --version | head -1 && python3 --version && setsid --version | head -1 && test -f /app/quarkus-run.jar && id -un'
# images these tags pointed to before this build are dangling now; without this every rebuild keeps a full copy
"${buildah[@]}" rmi --prune >/dev/null 2>&1 || true
echo "build-images: coordinator, worker and CLI images built and checked"
