package io.peregrine.fields.extract;

import io.peregrine.fields.FieldDefinition;
import io.peregrine.fields.FieldExtractor;
import io.peregrine.state.ContainerInfo;
import io.peregrine.state.EventContext;
import io.peregrine.state.ThreadInfo;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.Set;

/** The {@code container.*} fields and the {@code k8s.*} fields libsinsp derives from container labels. */
final class ContainerFields {

    private static final Set<String> DOCKER_COMPATIBLE = Set.of("docker", "cri", "containerd", "cri-o");

    private ContainerFields() {
    }

    private interface ContainerValue {
        Object apply(ContainerInfo c);
    }

    /** A value of the event's container; null on the host or for an unknown container. */
    private static Extractor container(FieldDefinition d, ContainerValue f) {
        return Extractor.of(d, c -> {
            ThreadInfo t = c.thread();
            if (t == null || t.containerId.isEmpty()) {
                return null;
            }
            ContainerInfo info = c.engine().container(t.containerId);
            return info == null ? null : f.apply(info);
        });
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static FieldExtractor create(FieldDefinition d, String arg) {
        String name = d.name();
        switch (name) {
            case "container.id":
                return Extractor.of(d, c -> c.thread() == null ? null
                        : c.thread().containerId.isEmpty() ? "host" : c.thread().containerId);
            case "container.name":
                return hostOr(d, "host", info -> nonEmpty(info.name));
            case "container.type":
                return hostOr(d, "host", info -> info.type);
            case "container.image":
                return container(d, info -> nonEmpty(info.image));
            case "container.image.id":
                return container(d, info -> nonEmpty(info.imageId));
            case "container.image.repository":
                return container(d, info -> nonEmpty(info.imageRepo));
            case "container.image.tag":
                return container(d, info -> nonEmpty(info.imageTag));
            case "container.image.digest":
                return container(d, info -> nonEmpty(info.imageDigest));
            case "container.privileged":
                return container(d, info -> DOCKER_COMPATIBLE.contains(info.type) ? info.privileged : null);
            case "container.mounts":
                return container(d, info -> {
                    StringBuilder out = new StringBuilder();
                    for (ContainerInfo.Mount m : info.mounts) {
                        if (out.length() > 0) {
                            out.append(',');
                        }
                        out.append(mount(m));
                    }
                    return out.toString();
                });
            case "container.mount":
            case "container.mount.source":
            case "container.mount.dest":
            case "container.mount.mode":
            case "container.mount.rdwr":
            case "container.mount.propagation":
                return mountField(d, arg);
            case "container.healthcheck":
                return container(d, info -> info.healthcheck == null ? "NONE" : info.healthcheck);
            case "container.liveness_probe":
                return container(d, info -> info.livenessProbe == null ? "NONE" : info.livenessProbe);
            case "container.readiness_probe":
                return container(d, info -> info.readinessProbe == null ? "NONE" : info.readinessProbe);
            case "container.start_ts":
                return container(d, info -> info.createdTime == 0 ? null : info.createdTime * 1_000_000_000L);
            case "k8s.pod.name":
                return label(d, "io.kubernetes.pod.name");
            case "k8s.pod.id":
                return label(d, "io.kubernetes.pod.uid");
            case "k8s.ns.name":
                return label(d, "io.kubernetes.pod.namespace");
            // Pod labels are the pod's, not the container's: they need the API server (sysdig 0.29.3)
            // or the CRI sandbox (newer libs), neither of which a capture carries.
            case "k8s.pod.label":
            case "k8s.pod.labels":
                return Extractor.of(d, c -> null);
            default:
                // The other k8s fields need the API server; libsinsp leaves them unset without it.
                return Extractor.of(d, c -> null);
        }
    }

    private static Extractor hostOr(FieldDefinition d, String host, ContainerValue f) {
        return Extractor.of(d, c -> {
            ThreadInfo t = c.thread();
            if (t == null) {
                return null;
            }
            if (t.containerId.isEmpty()) {
                return host;
            }
            ContainerInfo info = c.engine().container(t.containerId);
            return info == null ? null : f.apply(info);
        });
    }

    private static Extractor label(FieldDefinition d, String label) {
        return container(d, info -> nonEmpty(info.labels.get(label)));
    }

    private static String mount(ContainerInfo.Mount m) {
        return m.source() + ":" + m.dest() + ":" + m.mode() + ":" + (m.readWrite() ? "true" : "false") + ":"
                + m.propagation();
    }

    private static FieldExtractor mountField(FieldDefinition d, String arg) {
        String part = d.name().equals("container.mount") ? "" : d.name().substring("container.mount.".length());
        boolean byIndex = arg.chars().allMatch(Character::isDigit);
        PathMatcher glob = byIndex ? null : FileSystems.getDefault().getPathMatcher("glob:" + arg);
        return container(d, info -> {
            ContainerInfo.Mount found = null;
            if (byIndex) {
                int i = Integer.parseInt(arg);
                found = i < info.mounts.size() ? info.mounts.get(i) : null;
            } else {
                for (ContainerInfo.Mount m : info.mounts) {
                    // By-path lookups match the source, except mount.source which matches the destination.
                    String key = part.equals("source") ? m.dest() : m.source();
                    if (glob.matches(Paths.get(key))) {
                        found = m;
                        break;
                    }
                }
            }
            if (found == null) {
                return null;
            }
            return switch (part) {
                case "source" -> found.source();
                case "dest" -> found.dest();
                case "mode" -> found.mode();
                case "rdwr" -> found.readWrite() ? "true" : "false";
                case "propagation" -> found.propagation();
                default -> mount(found);
            };
        });
    }
}
