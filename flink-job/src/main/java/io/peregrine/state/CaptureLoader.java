package io.peregrine.state;

import io.peregrine.capture.ScapFd;
import io.peregrine.capture.ScapGroup;
import io.peregrine.capture.ScapInterface;
import io.peregrine.capture.ScapProcess;
import io.peregrine.capture.ScapReader;
import io.peregrine.capture.ScapUser;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Seeds a {@link StateEngine} from a capture's header blocks (process list with fds, users, groups,
 * interfaces), as libsinsp does when it opens a capture file.
 */
public final class CaptureLoader {

    private CaptureLoader() {
    }

    /** Loads everything the reader has read so far (the blocks before the first event). */
    public static void load(ScapReader reader, StateEngine engine) {
        for (ScapUser u : reader.users()) {
            engine.addUser(new UserInfo(u.uid(), u.gid(), u.name(), u.homedir(), u.shell()));
        }
        for (ScapGroup g : reader.groups()) {
            engine.addGroup(new GroupInfo(g.gid(), g.name()));
        }
        for (ScapInterface i : reader.interfaces()) {
            engine.addLocalAddress(i.addr());
        }
        for (ScapProcess p : reader.processes()) {
            engine.addThread(thread(p));
        }
        engine.finishInitialLoad();
        assignSocketRoles(engine);
    }

    /** A thread-table entry from a process-list record ({@code sinsp_threadinfo::init}). */
    public static ThreadInfo thread(ScapProcess p) {
        ThreadInfo t = new ThreadInfo();
        t.tid = p.tid();
        t.pid = p.pid();
        t.ptid = p.ptid();
        t.sid = p.sid();
        t.vpgid = p.vpgid();
        t.comm = p.comm();
        t.exe = p.exe();
        t.exePath = p.exepath();
        t.args = new java.util.ArrayList<>(p.args());
        t.env = new java.util.ArrayList<>(p.env());
        String cwd = p.cwd();
        t.cwd = cwd.endsWith("/") ? cwd : cwd + "/";
        t.fdLimit = p.fdlimit();
        t.flags = p.flags();
        t.uid = p.uid();
        t.gid = p.gid();
        t.vmSizeKb = p.vmsizeKb();
        t.vmRssKb = p.vmrssKb();
        t.vmSwapKb = p.vmswapKb();
        t.pfMajor = p.pfMajor();
        t.pfMinor = p.pfMinor();
        t.vtid = p.vtid();
        t.vpid = p.vpid();
        t.cgroups = StateEngine.parseCgroups(p.cgroups());
        t.containerId = ContainerEvents.containerIdFromCgroups(t.cgroups);
        t.root = p.root().isEmpty() ? "/" : p.root();
        t.tty = p.tty();
        t.loginUid = p.loginuid();
        t.exeWritable = p.exeWritable();
        t.exeUpperLayer = p.exeUpperLayer();
        t.exeFromMemfd = p.exeFromMemfd();
        t.exeIno = p.exeIno();
        t.exeInoCtime = p.exeInoCtime();
        t.exeInoMtime = p.exeInoMtime();
        t.pidnsInitStartTs = p.pidnsInitStartTs();
        t.capInheritable = p.capInheritable() == 0 && p.capPermitted() == 0 && p.capEffective() == 0 ? -1 : p.capInheritable();
        t.capPermitted = t.capInheritable == -1 ? -1 : p.capPermitted();
        t.capEffective = t.capInheritable == -1 ? -1 : p.capEffective();
        for (ScapFd fd : p.fds()) {
            FdInfo info = fd(fd);
            if (info != null) {
                t.fds.put(fd.fd(), info);
            }
        }
        return t;
    }

    /** An fd-table entry from a capture's fd list ({@code add_fd_from_scap}). */
    public static FdInfo fd(ScapFd fd) {
        FdInfo info = new FdInfo();
        info.type = FdType.ofScapId(fd.typeCode());
        info.ino = fd.ino();
        info.flags = FdInfo.FLAG_FROM_PROC;
        switch (info.type) {
            case IPV4_SOCK, IPV6_SOCK -> {
                info.sip = fd.sip();
                info.dip = fd.dip();
                info.sport = fd.sport();
                info.dport = fd.dport();
                info.l4proto = fd.l4proto();
                info.name = Addresses.tupleName(info);
            }
            case IPV4_SERVSOCK, IPV6_SERVSOCK -> {
                info.sip = fd.sip();
                info.sport = fd.sport();
                info.l4proto = fd.l4proto();
                info.name = Addresses.endpoint(fd.sip().length == 0 ? new byte[4] : fd.sip(), fd.sport());
                info.flags |= FdInfo.FLAG_ROLE_SERVER;
            }
            case UNIX_SOCK -> {
                info.unixSource = fd.unixSource();
                info.unixDest = fd.unixDest();
                info.name = fd.name();
            }
            case FILE_V2 -> {
                info.name = fd.name();
                info.openFlags = fd.openFlags();
                info.dev = fd.dev();
            }
            default -> info.name = fd.name();
        }
        info.nameRaw = info.name;
        info.oldName = info.name;
        return info;
    }

    /**
     * libsinsp's fix_sockets_coming_from_proc: a socket from /proc whose local port is a listening
     * port of its process is the server end, any other is the client end.
     */
    private static void assignSocketRoles(StateEngine engine) {
        engine.threads().forEach(t -> {
            Map<Long, FdInfo> fds = t.fds;
            Set<Integer> serverPorts = new HashSet<>();
            for (FdInfo fd : fds.values()) {
                if (fd.type.isServerSocket()) {
                    serverPorts.add(fd.sport);
                }
            }
            for (FdInfo fd : fds.values()) {
                if (fd.type.isIpSocket() && fd.isRoleNone()) {
                    fd.flags |= serverPorts.contains(fd.sport) ? FdInfo.FLAG_ROLE_SERVER : FdInfo.FLAG_ROLE_CLIENT;
                }
            }
        });
    }
}
