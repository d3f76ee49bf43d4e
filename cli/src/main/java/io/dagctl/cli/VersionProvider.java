package io.dagctl.cli;

import picocli.CommandLine.IVersionProvider;

public class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = DagctlCommand.class.getPackage().getImplementationVersion();
        return new String[] {"dagctl " + (version == null ? "development build" : version)};
    }
}
