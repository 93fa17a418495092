package io.peregrine.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peregrine.event.Event;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Container metadata: the container events that captures carry (libsinsp's
 * parse_container_json_evt) and the container id libsinsp derives from a thread's cgroups.
 */
public final class ContainerEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A 64-hex container id in the cgroup paths of docker, containerd and cri-o. */
    private static final Pattern CGROUP_ID = Pattern.compile(
            "(?:/docker/|/docker-|/crio-|/cri-containerd-|/libpod-|/kubepods[^ ]*/|/containerd/)([0-9a-f]{64})(?:\\.scope)?$");

    private ContainerEvents() {
    }

    /** The 12-character container id encoded in the cgroups, or "" for the host. */
    public static String containerIdFromCgroups(List<String[]> cgroups) {
        for (String[] cgroup : cgroups) {
            Matcher m = CGROUP_ID.matcher(cgroup[1]);
            if (m.find()) {
                return m.group(1).substring(0, 12);
            }
        }
        return "";
    }

    /** Applies a container JSON event: registers the container for its threads. */
    static void parseJson(StateEngine engine, Event e) {
        String json = EventParams.string(e, "json");
        if (json == null) {
            return;
        }
        ContainerInfo info = parse(json);
        if (info != null) {
            engine.addContainer(info);
            // libsinsp's sinsp_container_info::get_tinfo: a stand-in thread for the container.
            ThreadInfo holder = new ThreadInfo();
            holder.tid = -1;
            holder.pid = -1;
            holder.vtid = -2;
            holder.vpid = -2;
            holder.comm = "container:" + info.id;
            holder.cwd = "";
            holder.containerId = info.id;
            engine.containerEventThread(holder);
        }
    }

    /** Container metadata from libsinsp's container JSON, or null when it is not valid. */
    public static ContainerInfo parse(String json) {
        try {
            JsonNode root = JSON.readTree(json).path("container");
            if (root.isMissingNode()) {
                return null;
            }
            ContainerInfo c = new ContainerInfo();
            c.id = root.path("id").asText("");
            c.name = root.path("name").asText("");
            c.image = root.path("image").asText("");
            c.imageId = root.path("imageid").asText("");
            c.imageRepo = root.path("imagerepo").asText("");
            c.imageTag = root.path("imagetag").asText("");
            c.imageDigest = root.path("imagedigest").asText("");
            c.type = typeName(root.path("type").asInt(0));
            if (root.has("privileged")) {
                c.hasPrivileged = true;
                c.privileged = root.path("privileged").asBoolean(false);
            }
            c.createdTime = root.path("created_time").asLong(0);
            String ip = root.path("ip").asText("");
            if (ip.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
                String[] parts = ip.split("\\.");
                c.ip = new byte[] {(byte) Integer.parseInt(parts[0]), (byte) Integer.parseInt(parts[1]),
                    (byte) Integer.parseInt(parts[2]), (byte) Integer.parseInt(parts[3])};
            }
            for (JsonNode m : root.path("Mounts")) {
                c.mounts.add(new ContainerInfo.Mount(m.path("Source").asText(""), m.path("Destination").asText(""),
                        m.path("Mode").asText(""), m.path("RW").asBoolean(false), m.path("Propagation").asText("")));
            }
            Iterator<Map.Entry<String, JsonNode>> labels = root.path("labels").fields();
            while (labels.hasNext()) {
                Map.Entry<String, JsonNode> label = labels.next();
                c.labels.put(label.getKey(), label.getValue().asText(""));
            }
            return c;
        } catch (IOException ex) {
            return null;
        }
    }

    /** libsinsp's sinsp_container_type names, by number ("" for the types container.type leaves unnamed). */
    private static String typeName(int type) {
        return switch (type) {
            case 0 -> "docker";
            case 1 -> "lxc";
            case 2 -> "libvirt-lxc";
            case 3 -> "mesos";
            case 4 -> "rkt";
            case 6 -> "cri";
            case 7 -> "containerd";
            case 8 -> "cri-o";
            case 9 -> "bpm";
            default -> "";
        };
    }
}
