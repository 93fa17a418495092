package io.peregrine.avro;

import io.peregrine.capture.ScapGroup;
import io.peregrine.capture.ScapUser;

/** Converts capture users and groups to and from {@link UserInfo} and {@link GroupInfo}. */
public final class CredentialConversion {

    private CredentialConversion() {
    }

    public static UserInfo toAvro(ScapUser u, String containerId) {
        return new UserInfo(u.uid(), u.gid(), u.name(), u.homedir(), u.shell(), containerId == null ? "" : containerId);
    }

    public static ScapUser toScap(UserInfo u) {
        return new ScapUser(u.getUid(), u.getGid(), u.getName(), u.getHomedir(), u.getShell());
    }

    public static GroupInfo toAvro(ScapGroup g, String containerId) {
        return new GroupInfo(g.gid(), g.name(), containerId == null ? "" : containerId);
    }

    public static ScapGroup toScap(GroupInfo g) {
        return new ScapGroup(g.getGid(), g.getName());
    }
}
