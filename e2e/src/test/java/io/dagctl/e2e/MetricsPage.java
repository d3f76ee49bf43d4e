package io.dagctl.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of a service's /q/metrics (Prometheus text format), read by name and labels. */
public record MetricsPage(List<Sample> samples) {

    public record Sample(String name, String labels, double value) {}

    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+).*");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static MetricsPage scrape(String baseUrl) throws Exception {
        String text = HTTP.send(
                        HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics"))
                                .header("Accept", "text/plain; version=0.0.4")
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!line.startsWith("#") && m.matches()) {
                samples.add(
                        new Sample(m.group(1), m.group(2) == null ? "" : m.group(2), Double.parseDouble(m.group(3))));
            }
        }
        return new MetricsPage(samples);
    }

    /** The sum over every series of {@code name} whose labels contain {@code labelFilter} (e.g. {@code area="heap"}). */
    public double sum(String name, String labelFilter) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().contains(labelFilter))
                .mapToDouble(Sample::value)
                .sum();
    }

    public double sum(String name) {
        return sum(name, "");
    }

    /** The cumulative bucket counts of histogram {@code name}, by upper bound (seconds), ascending. */
    public Histogram histogram(String name) {
        Pattern le = Pattern.compile("le=\"([^\"]+)\"");
        List<double[]> buckets = new ArrayList<>();
        for (Sample s : samples) {
            if (s.name().equals(name + "_bucket")) {
                Matcher m = le.matcher(s.labels());
                if (m.find()) {
                    double bound =
                            m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
                    buckets.add(new double[] {bound, s.value()});
                }
            }
        }
        buckets.sort((a, b) -> Double.compare(a[0], b[0]));
        return new Histogram(buckets);
    }

    /** Cumulative buckets {upper bound, count}; differences between scrapes and quantiles as Prometheus computes them. */
    public record Histogram(List<double[]> buckets) {

        public Histogram minus(Histogram earlier) {
            List<double[]> out = new ArrayList<>();
            for (double[] b : buckets) {
                double before = earlier.buckets().stream()
                        .filter(e -> e[0] == b[0])
                        .mapToDouble(e -> e[1])
                        .findFirst()
                        .orElse(0);
                out.add(new double[] {b[0], b[1] - before});
            }
            return new Histogram(out);
        }

        public double count() {
            return buckets.isEmpty() ? 0 : buckets.get(buckets.size() - 1)[1];
        }

        /** Like PromQL's histogram_quantile: linear interpolation inside the bucket the rank falls in. */
        public double quantile(double q) {
            double total = count();
            if (total == 0) {
                return Double.NaN;
            }
            double rank = q * total;
            double lowerBound = 0;
            double lowerCount = 0;
            for (double[] b : buckets) {
                if (b[1] >= rank) {
                    if (Double.isInfinite(b[0])) {
                        return lowerBound;
                    }
                    double inBucket = b[1] - lowerCount;
                    return inBucket == 0 ? b[0] : lowerBound + (b[0] - lowerBound) * (rank - lowerCount) / inBucket;
                }
                lowerBound = b[0];
                lowerCount = b[1];
            }
            return lowerBound;
        }
    }
}
