package io.peregrine.state;

import io.peregrine.capture.ScapFd;
import io.peregrine.capture.ScapGroup;
import io.peregrine.capture.ScapInterface;
import io.peregrine.capture.ScapProcess;
import io.peregrine.capture.ScapReader;
import io.peregrine.capture.ScapUser;
import java.util.HashSet;
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
            engine.addInterface(i.addr(), i.netmask());
        }
        Set<Integer> serverPorts = new HashSet<>();
        for (ScapProcess p : reader.processes()) {
            engine.addThread(thread(p, engine::fillMissingEnd, serverPorts));
        }
        engine.finishInitialLoad();
        assignSocketRoles(engine, serverPorts);
    }

    /** A thread-table entry from a process-list record ({@code sinsp_threadinfo::init}). */
    public static ThreadInfo thread(ScapProcess p) {
        return thread(p, fd -> { }, new HashSet<>());
    }

    static ThreadInfo thread(ScapProcess p, NetworkInterfacesView interfaces, Set<Integer> serverPorts) {
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
            FdInfo info = fd(fd, interfaces, serverPorts);
            if (info != null) {
                t.fds.put(fd.fd(), info);
            }
        }
        return t;
    }

    /** An fd-table entry from a capture's fd list ({@code sinsp_threadinfo::add_fd_from_scap}). */
    static FdInfo fd(ScapFd fd, NetworkInterfacesView interfaces, Set<Integer> serverPorts) {
        FdInfo info = new FdInfo();
        info.type = FdType.ofScapId(fd.typeCode());
        info.ino = fd.ino();
        info.flags = FdInfo.FLAG_FROM_PROC;
        switch (info.type) {
            case IPV4_SOCK -> ipv4Socket(info, fd.sip(), fd.sport(), fd.dip(), fd.dport(), fd.l4proto(), interfaces);
            case IPV6_SOCK -> {
                byte[] sip = pad(fd.sip(), 16);
                byte[] dip = pad(fd.dip(), 16);
                if (Addresses.isIpv4MappedIpv6(sip, 0) && Addresses.isIpv4MappedIpv6(dip, 0)) {
                    info.type = FdType.IPV4_SOCK;
                    ipv4Socket(info, EventParams.slice(sip, 12, 4), fd.sport(), EventParams.slice(dip, 12, 4),
                            fd.dport(), fd.l4proto(), interfaces);
                } else {
                    info.sip = sip;
                    info.dip = dip;
                    info.sport = fd.sport();
                    info.dport = fd.dport();
                    info.l4proto = fd.l4proto();
                    if (fd.l4proto() == FdInfo.L4_TCP) {
                        info.flags |= FdInfo.FLAG_SOCKET_CONNECTED;
                    }
                    info.name = Addresses.endpoint(sip, fd.sport()) + "->" + Addresses.endpoint(dip, fd.dport());
                }
            }
            case IPV4_SERVSOCK, IPV6_SERVSOCK -> {
                info.sip = pad(fd.sip(), info.type == FdType.IPV4_SERVSOCK ? 4 : 16);
                info.sport = fd.sport();
                info.l4proto = fd.l4proto();
                info.name = Addresses.endpoint(info.sip, fd.sport());
                serverPorts.add(fd.sport());
            }
            case UNIX_SOCK -> {
                info.unixSource = fd.unixSource();
                info.unixDest = fd.unixDest();
                info.name = fd.name();
                info.flags |= info.name.isEmpty() ? FdInfo.FLAG_ROLE_CLIENT : FdInfo.FLAG_ROLE_SERVER;
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

    /** What fd() needs from the interfaces. */
    interface NetworkInterfacesView {
        void fillMissingEnd(FdInfo fd);
    }

    private static void ipv4Socket(FdInfo info, byte[] sip, int sport, byte[] dip, int dport, int l4proto,
            NetworkInterfacesView interfaces) {
        info.sip = pad(sip, 4);
        info.dip = pad(dip, 4);
        info.sport = sport;
        info.dport = dport;
        info.l4proto = l4proto;
        if (l4proto == FdInfo.L4_TCP) {
            info.flags |= FdInfo.FLAG_SOCKET_CONNECTED;
        }
        interfaces.fillMissingEnd(info);
        info.name = Addresses.endpoint(info.sip, sport) + "->" + Addresses.endpoint(info.dip, dport);
    }

    private static byte[] pad(byte[] a, int len) {
        return a == null || a.length != len ? new byte[len] : a;
    }

    /**
     * libsinsp's fix_sockets_coming_from_proc: an IPv4 socket whose local port is a listening port
     * of any process is the server end (its tuple is turned around), any other is the client end.
     */
    private static void assignSocketRoles(StateEngine engine, Set<Integer> serverPorts) {
        engine.threads().forEach(t -> {
            for (FdInfo fd : t.fds.values()) {
                if (fd.type != FdType.IPV4_SOCK || (fd.flags & FdInfo.FLAG_FROM_PROC) == 0) {
                    continue;
                }
                if (serverPorts.contains(fd.sport)) {
                    byte[] ip = fd.sip;
                    int port = fd.sport;
                    fd.sip = fd.dip;
                    fd.sport = fd.dport;
                    fd.dip = ip;
                    fd.dport = port;
                    fd.name = Addresses.endpoint(fd.sip, fd.sport) + "->" + Addresses.endpoint(fd.dip, fd.dport);
                    fd.nameRaw = fd.name;
                    fd.oldName = fd.name;
                    fd.flags |= FdInfo.FLAG_ROLE_SERVER;
                } else {
                    fd.flags |= FdInfo.FLAG_ROLE_CLIENT;
                }
            }
        });
    }
}
