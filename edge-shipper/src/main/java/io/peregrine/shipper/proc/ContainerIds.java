package io.peregrine.shipper.proc;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Derives a container id from cgroup paths, the way libsinsp's container engines recognise them:
 * docker ({@code /docker/<id>}, {@code docker-<id>.scope}), containerd ({@code cri-containerd-<id>.scope},
 * {@code /containerd/<id>}), cri-o ({@code crio-<id>.scope}, {@code /crio/<id>}), podman
 * ({@code libpod-<id>.scope}, {@code /libpod-<id>}) and kubepods slices, on cgroup v1 and v2. The id
 * is the first 12 hex digits, as Falco prints {@code container.id}; the host is {@code "host"}.
 */
public final class ContainerIds {

    /** {@code container.id} of processes outside containers. */
    public static final String HOST = "host";

    private static final Pattern ID = Pattern.compile(
            "(?:^|[/:])(?:docker|cri-containerd|crio|libpod|containerd|podman)[-/:]([0-9a-f]{64})(?:\\.scope)?(?:/|$)"
                    + "|/kubepods[^\\s]*?/(?:[^/]*[-_])?([0-9a-f]{64})(?:\\.scope)?(?:/|$)");

    private ContainerIds() {
    }

    /**
     * The container id of a process with these cgroups ({@code subsys=path} entries as libscap
     * carries them, or bare paths), or {@link #HOST}.
     */
    public static String fromCgroups(List<String> cgroups) {
        for (String entry : cgroups) {
            String id = fromPath(entry.substring(entry.indexOf('=') + 1));
            if (!id.equals(HOST)) {
                return id;
            }
        }
        return HOST;
    }

    /** The container id in one cgroup path, or {@link #HOST}. */
    public static String fromPath(String path) {
        Matcher m = ID.matcher(path);
        if (!m.find()) {
            return HOST;
        }
        String full = m.group(1) != null ? m.group(1) : m.group(2);
        return full.substring(0, 12);
    }
}
