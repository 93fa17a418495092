package io.peregrine.output;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The {@code hostname} Falco writes into alerts: {@code FALCO_HOSTNAME} (or the older
 * {@code FALCO_GRPC_HOSTNAME}) when set, else the kernel's host name as gethostname(2) returns it
 * (falco 0.33 app_actions/init_outputs.cpp).
 */
public final class FalcoHostname {

    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private FalcoHostname() {
    }

    /** This machine's alert hostname, from the process environment. */
    public static String current() {
        return resolve(System::getenv);
    }

    /** The alert hostname given an environment lookup (tests pass their own). */
    public static String resolve(UnaryOperator<String> env) {
        for (String variable : new String[] {"FALCO_HOSTNAME", "FALCO_GRPC_HOSTNAME"}) {
            String value = env.apply(variable);
            if (value != null) {
                return value;
            }
        }
        try {
            return Files.readString(KERNEL_HOSTNAME, StandardCharsets.UTF_8).strip();
        } catch (IOException | SecurityException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException unknown) {
                return "localhost";
            }
        }
    }
}
