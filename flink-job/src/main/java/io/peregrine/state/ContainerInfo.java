package io.peregrine.state;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Container metadata as libsinsp keeps it ({@code sinsp_container_info}), from container events or the shipper. */
public final class ContainerInfo implements Serializable {

    private static final long serialVersionUID = 1L;

    /** One mount: source, destination, mode, read-write flag, propagation. */
    public record Mount(String source, String dest, String mode, boolean readWrite, String propagation)
            implements Serializable {
    }

    public String id = "";
    public String type = "";
    public String name = "";
    public String image = "";
    public String imageId = "";
    public String imageRepo = "";
    public String imageTag = "";
    public String imageDigest = "";
    public boolean privileged;
    public boolean hasPrivileged;
    public List<Mount> mounts = new ArrayList<>();
    public Map<String, String> labels = new LinkedHashMap<>();
    public String healthcheck;
    public String livenessProbe;
    public String readinessProbe;
    public long createdTime;
    /** The container's IPv4 address, or null. */
    public byte[] ip;
}
