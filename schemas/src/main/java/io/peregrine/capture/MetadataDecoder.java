package io.peregrine.capture;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the bodies of libscap's metadata blocks (machine info, process list, fd list, interface
 * list, user list) following scap_savefile.c's layouts, including the per-entry lengths of the V2+
 * blocks that let newer writers append fields older readers skip.
 */
final class MetadataDecoder {

    /** The fields newer libs append after {@code root} when the entry has them (checked against its length). */
    private static final int PRE_0_10_TAIL = 4 + 1 + 8 + 8 + 8;

    private MetadataDecoder() {
    }

    static MachineInfo machineInfo(BlockCursor c) throws CaptureFormatException {
        int cpus = c.i32("machine info num_cpus");
        long memory = c.i64("machine info memory size");
        long maxPid = c.i64("machine info max pid");
        String hostname = c.string(MachineInfo.HOSTNAME_SIZE, "machine info hostname");
        return new MachineInfo(cpus, memory, maxPid, hostname, c.i64("machine info boot time"),
                c.i64("machine info flags"), c.i64("machine info reserved3"), c.i64("machine info reserved4"));
    }

    /** Every entry of a process list block of {@code blockType}. */
    static List<ScapProcess> processList(BlockCursor c, int blockType) throws CaptureFormatException {
        int version = BlockTypes.processListVersion(blockType);
        List<ScapProcess> out = new ArrayList<>();
        while (c.remaining() >= 4) {
            out.add(process(c, blockType, version));
        }
        return out;
    }

    private static ScapProcess process(BlockCursor c, int blockType, int version) throws CaptureFormatException {
        int start = c.position();
        long entryOffset = c.fileOffset();
        long subLen = 0;
        if (version >= 9) {
            subLen = c.u32("process entry length");
            if (subLen < 4 || subLen - 4 > c.remaining()) {
                throw new CaptureFormatException(fileOf(c), entryOffset, "bad process entry length " + subLen);
            }
        }
        ScapProcess.Builder b = ScapProcess.builder().blockType(blockType);
        b.tid(c.i64("tid")).pid(c.i64("pid")).ptid(c.i64("ptid"));
        if (version >= 6) {
            b.sid(c.i64("sid"));
        }
        if (version >= 8) {
            b.vpgid(c.i64("vpgid"));
        }
        b.comm(c.lenString("comm")).exe(c.lenString("exe"));
        if (version >= 7) {
            b.exepath(c.lenString("exepath"));
        }
        b.args(split(c.lenBytes("args"))).cwd(c.lenString("cwd")).fdlimit(c.i64("fdlimit"))
                .flags(c.i32("flags")).uid(c.u32("uid")).gid(c.u32("gid"));
        if (version >= 2) {
            b.vmsizeKb(c.u32("vmsize")).vmrssKb(c.u32("vmrss")).vmswapKb(c.u32("vmswap"))
                    .pfMajor(c.i64("pfmajor")).pfMinor(c.i64("pfminor"));
            if (version >= 3) {
                b.env(split(c.lenBytes("env")));
            }
            if (version >= 4) {
                b.vtid(c.i64("vtid")).vpid(c.i64("vpid")).cgroups(split(c.lenBytes("cgroups")));
            }
            if (version >= 5) {
                b.root(c.lenString("root"));
            }
        }
        if (subLen > 0) {
            long end = start + subLen;
            // libs 0.10 inserted pidns_init_start_ts and tty before loginuid; an entry whose tail is no
            // longer than what older writers put there (loginuid, exe_writable, 3 capability sets) is
            // from an older writer. This mirrors newer libscap's own detection.
            if (end - c.position() > PRE_0_10_TAIL) {
                if (fits(c, end, 8)) {
                    b.pidnsInitStartTs(c.i64("pidns_init_start_ts"));
                }
                if (fits(c, end, 4)) {
                    b.tty(c.u32("tty"));
                }
            }
            if (fits(c, end, 4)) {
                b.loginuid(c.i32("loginuid"));
            }
            if (fits(c, end, 1)) {
                b.exeWritable(c.u8("exe_writable") != 0);
            }
            if (fits(c, end, 8)) {
                b.capInheritable(c.i64("cap_inheritable"));
            }
            if (fits(c, end, 8)) {
                b.capPermitted(c.i64("cap_permitted"));
            }
            if (fits(c, end, 8)) {
                b.capEffective(c.i64("cap_effective"));
            }
            if (fits(c, end, 1)) {
                b.exeUpperLayer(c.u8("exe_upper_layer") != 0);
            }
            if (fits(c, end, 8)) {
                b.exeIno(c.i64("exe_ino"));
            }
            if (fits(c, end, 8)) {
                b.exeInoCtime(c.i64("exe_ino_ctime"));
            }
            if (fits(c, end, 8)) {
                b.exeInoMtime(c.i64("exe_ino_mtime"));
            }
            if (fits(c, end, 1)) {
                b.exeFromMemfd(c.u8("exe_from_memfd") != 0);
            }
            if (fits(c, end, 1)) {
                b.exeLowerLayer(c.u8("exe_lower_layer") != 0);
            }
            if (fits(c, end, 8)) {
                b.pgid(c.i64("pgid"));
            }
            skipTo(c, end, entryOffset, "process entry");
        }
        return b.build();
    }

    /** The tid and fds of an fd list block. */
    static FdList fdList(BlockCursor c, int blockType) throws CaptureFormatException {
        long tid = c.i64("fd list tid");
        List<ScapFd> fds = new ArrayList<>();
        while (c.remaining() >= 4) {
            fds.add(fd(c, blockType == BlockTypes.FDL_V2));
        }
        return new FdList(tid, fds);
    }

    /** One fd list block's content. */
    record FdList(long tid, List<ScapFd> fds) {
    }

    private static ScapFd fd(BlockCursor c, boolean withLength) throws CaptureFormatException {
        int start = c.position();
        long entryOffset = c.fileOffset();
        long subLen = 0;
        if (withLength) {
            subLen = c.u32("fd entry length");
            if (subLen < 4 || subLen - 4 > c.remaining()) {
                throw new CaptureFormatException(fileOf(c), entryOffset, "bad fd entry length " + subLen);
            }
        }
        long fd = c.i64("fd");
        long ino = c.i64("fd inode");
        int code = c.u8("fd type");
        FdType type = FdType.of(code);
        ScapFd result;
        if (type == null) {
            if (subLen == 0) {
                throw new CaptureFormatException(fileOf(c), entryOffset, "unknown fd type " + code);
            }
            // A newer libscap's type: its entry length lets us skip what we cannot interpret.
            result = new ScapFd(fd, ino, null, code, "", 0, 0, null, 0, null, 0, 0, 0, 0);
        } else if (type.nameOnly()) {
            result = ScapFd.named(fd, ino, type, c.lenString("fd name"));
        } else {
            result = switch (type) {
                case IPV4_SOCK -> ScapFd.socket(fd, ino, c.bytes(4, "fd sip"), 0, c.bytes(4, "fd dip"), 0, 0);
                case IPV6_SOCK -> ScapFd.socket(fd, ino, c.bytes(16, "fd sip"), 0, c.bytes(16, "fd dip"), 0, 0);
                case IPV4_SERVSOCK -> ScapFd.serverSocket(fd, ino, c.bytes(4, "fd ip"), c.u16("fd port"), 0);
                case IPV6_SERVSOCK -> ScapFd.serverSocket(fd, ino, c.bytes(16, "fd ip"), c.u16("fd port"), 0);
                case UNIX_SOCK -> ScapFd.unixSocket(fd, ino, c.i64("fd unix source"), c.i64("fd unix destination"),
                        c.lenString("fd unix path"));
                case FILE_V2 -> {
                    int openFlags = c.i32("fd open flags");
                    String name = c.lenString("fd name");
                    int dev = subLen > 0 && fits(c, start + subLen, 4) ? c.i32("fd dev") : 0;
                    yield ScapFd.file(fd, ino, name, openFlags, dev);
                }
                default -> new ScapFd(fd, ino, type, code, "", 0, 0, null, 0, null, 0, 0, 0, 0); // UNKNOWN: no body
            };
            if (type == FdType.IPV4_SOCK || type == FdType.IPV6_SOCK) {
                int sport = c.u16("fd sport");
                int dport = c.u16("fd dport");
                int l4 = c.u8("fd l4proto");
                result = ScapFd.socket(fd, ino, result.sip(), sport, result.dip(), dport, l4);
            } else if (type == FdType.IPV4_SERVSOCK || type == FdType.IPV6_SERVSOCK) {
                result = ScapFd.serverSocket(fd, ino, result.sip(), result.sport(), c.u8("fd l4proto"));
            }
        }
        if (subLen > 0) {
            skipTo(c, start + subLen, entryOffset, "fd entry");
        }
        return result;
    }

    static List<ScapInterface> interfaceList(BlockCursor c, int blockType) throws CaptureFormatException {
        List<ScapInterface> out = new ArrayList<>();
        boolean v2 = blockType == BlockTypes.IL_V2;
        while (c.remaining() >= 4) {
            long entryOffset = c.fileOffset();
            long end = -1;
            if (v2) {
                long size = c.u32("interface entry length");
                if (size > c.remaining()) {
                    throw new CaptureFormatException(fileOf(c), entryOffset, "bad interface entry length " + size);
                }
                end = c.position() + size;
            }
            int type = c.u16("interface type");
            int nameLen = c.u16("interface name length");
            int addrLen = switch (type) {
                case 1, 3 -> 4;
                case 2, 4 -> 16;
                default -> throw new CaptureFormatException(fileOf(c), entryOffset, "unknown interface type " + type);
            };
            byte[] addr = c.bytes(addrLen, "interface address");
            byte[] netmask = c.bytes(addrLen, "interface netmask");
            byte[] bcast = c.bytes(addrLen, "interface broadcast");
            long linkSpeed = type <= 2 ? c.i64("interface link speed") : 0;
            String name = c.string(nameLen, "interface name");
            out.add(new ScapInterface(name, addr, netmask, bcast, linkSpeed));
            if (end >= 0) {
                skipTo(c, end, entryOffset, "interface entry");
            }
        }
        return out;
    }

    /** Users and groups of a user list block. */
    record UserList(List<ScapUser> users, List<ScapGroup> groups) {
    }

    static UserList userList(BlockCursor c, int blockType) throws CaptureFormatException {
        List<ScapUser> users = new ArrayList<>();
        List<ScapGroup> groups = new ArrayList<>();
        boolean v2 = blockType == BlockTypes.UL_V2;
        while (c.remaining() >= 4) {
            int start = c.position();
            long entryOffset = c.fileOffset();
            long subLen = 0;
            if (v2) {
                subLen = c.u32("user entry length");
                if (subLen < 4 || subLen - 4 > c.remaining()) {
                    throw new CaptureFormatException(fileOf(c), entryOffset, "bad user entry length " + subLen);
                }
            }
            int type = c.u8("user entry type");
            if (type == 0) {
                users.add(new ScapUser(c.u32("uid"), c.u32("gid"), c.lenString("user name"),
                        c.lenString("user home"), c.lenString("user shell")));
            } else {
                groups.add(new ScapGroup(c.u32("group gid"), c.lenString("group name")));
            }
            if (subLen > 0) {
                skipTo(c, start + subLen, entryOffset, "user entry");
            }
        }
        return new UserList(users, groups);
    }

    /** libscap's NUL-separated string lists ({@code a\0b\0}) as a list; a missing final NUL is tolerated. */
    static List<String> split(byte[] raw) {
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                out.add(new String(raw, from, i - from, StandardCharsets.UTF_8));
                from = i + 1;
            }
        }
        if (from < raw.length) {
            out.add(new String(raw, from, raw.length - from, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static boolean fits(BlockCursor c, long end, int n) {
        return c.position() + n <= end;
    }

    private static void skipTo(BlockCursor c, long end, long entryOffset, String what) throws CaptureFormatException {
        long extra = end - c.position();
        if (extra < 0) {
            throw new CaptureFormatException(fileOf(c), entryOffset, what + " longer than its declared length");
        }
        c.skip((int) extra, what + " padding");
    }

    private static String fileOf(BlockCursor c) {
        return c.file();
    }
}
