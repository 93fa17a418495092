package io.peregrine.capture;

import java.util.List;

/**
 * One thread of a capture's process list (PL block, every version V1..V9 and the fields newer libs
 * append), with its fds from the FDL blocks. Field names follow libscap's {@code scap_threadinfo}.
 *
 * <p>Fields a block version does not carry keep libscap's defaults (ids -1, numbers 0, strings
 * empty): see {@link Builder}. {@code args}, {@code env} and {@code cgroups} are libscap's
 * NUL-separated lists, split (args exclude the executable, cgroups are {@code subsys=path}).
 * {@code blockType} is the PL block type it was read from (0 for records built in code).
 */
public record ScapProcess(long tid, long pid, long ptid, long sid, long vpgid, long pgid, String comm, String exe,
        String exepath, List<String> args, List<String> env, String cwd, long fdlimit, int flags, long uid,
        long gid, long vmsizeKb, long vmrssKb, long vmswapKb, long pfMajor, long pfMinor, long vtid, long vpid,
        List<String> cgroups, String root, long pidnsInitStartTs, long tty, long loginuid, boolean exeWritable,
        long capInheritable, long capPermitted, long capEffective, boolean exeUpperLayer, long exeIno,
        long exeInoCtime, long exeInoMtime, boolean exeFromMemfd, boolean exeLowerLayer, List<ScapFd> fds,
        int blockType) {

    public ScapProcess {
        args = List.copyOf(args);
        env = List.copyOf(env);
        cgroups = List.copyOf(cgroups);
        fds = List.copyOf(fds);
    }

    /** A copy with {@code fds} as its fd list. */
    public ScapProcess withFds(List<ScapFd> newFds) {
        return toBuilder().fds(newFds).build();
    }

    /** Whether this thread is its process's main thread. */
    public boolean isMainThread() {
        return tid == pid;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.tid = tid; b.pid = pid; b.ptid = ptid; b.sid = sid; b.vpgid = vpgid; b.pgid = pgid; b.comm = comm;
        b.exe = exe; b.exepath = exepath; b.args = args; b.env = env; b.cwd = cwd; b.fdlimit = fdlimit;
        b.flags = flags; b.uid = uid; b.gid = gid; b.vmsizeKb = vmsizeKb; b.vmrssKb = vmrssKb;
        b.vmswapKb = vmswapKb; b.pfMajor = pfMajor; b.pfMinor = pfMinor; b.vtid = vtid; b.vpid = vpid;
        b.cgroups = cgroups; b.root = root; b.pidnsInitStartTs = pidnsInitStartTs; b.tty = tty;
        b.loginuid = loginuid; b.exeWritable = exeWritable; b.capInheritable = capInheritable;
        b.capPermitted = capPermitted; b.capEffective = capEffective; b.exeUpperLayer = exeUpperLayer;
        b.exeIno = exeIno; b.exeInoCtime = exeInoCtime; b.exeInoMtime = exeInoMtime;
        b.exeFromMemfd = exeFromMemfd; b.exeLowerLayer = exeLowerLayer; b.fds = fds; b.blockType = blockType;
        return b;
    }

    /** Builds a {@link ScapProcess}; starts from libscap's defaults for fields a capture may lack. */
    public static final class Builder {
        private long tid;
        private long pid;
        private long ptid;
        private long sid = -1;
        private long vpgid = -1;
        private long pgid = -1;
        private String comm = "";
        private String exe = "";
        private String exepath = "";
        private List<String> args = List.of();
        private List<String> env = List.of();
        private String cwd = "";
        private long fdlimit;
        private int flags;
        private long uid;
        private long gid;
        private long vmsizeKb;
        private long vmrssKb;
        private long vmswapKb;
        private long pfMajor;
        private long pfMinor;
        private long vtid = -1;
        private long vpid = -1;
        private List<String> cgroups = List.of();
        private String root = "";
        private long pidnsInitStartTs;
        private long tty;
        private long loginuid = -1;
        private boolean exeWritable;
        private long capInheritable;
        private long capPermitted;
        private long capEffective;
        private boolean exeUpperLayer;
        private long exeIno;
        private long exeInoCtime;
        private long exeInoMtime;
        private boolean exeFromMemfd;
        private boolean exeLowerLayer;
        private List<ScapFd> fds = List.of();
        private int blockType;

        private Builder() {
        }

        public Builder tid(long v) { tid = v; return this; }
        public Builder pid(long v) { pid = v; return this; }
        public Builder ptid(long v) { ptid = v; return this; }
        public Builder sid(long v) { sid = v; return this; }
        public Builder vpgid(long v) { vpgid = v; return this; }
        public Builder pgid(long v) { pgid = v; return this; }
        public Builder comm(String v) { comm = v; return this; }
        public Builder exe(String v) { exe = v; return this; }
        public Builder exepath(String v) { exepath = v; return this; }
        public Builder args(List<String> v) { args = v; return this; }
        public Builder env(List<String> v) { env = v; return this; }
        public Builder cwd(String v) { cwd = v; return this; }
        public Builder fdlimit(long v) { fdlimit = v; return this; }
        public Builder flags(int v) { flags = v; return this; }
        public Builder uid(long v) { uid = v; return this; }
        public Builder gid(long v) { gid = v; return this; }
        public Builder vmsizeKb(long v) { vmsizeKb = v; return this; }
        public Builder vmrssKb(long v) { vmrssKb = v; return this; }
        public Builder vmswapKb(long v) { vmswapKb = v; return this; }
        public Builder pfMajor(long v) { pfMajor = v; return this; }
        public Builder pfMinor(long v) { pfMinor = v; return this; }
        public Builder vtid(long v) { vtid = v; return this; }
        public Builder vpid(long v) { vpid = v; return this; }
        public Builder cgroups(List<String> v) { cgroups = v; return this; }
        public Builder root(String v) { root = v; return this; }
        public Builder pidnsInitStartTs(long v) { pidnsInitStartTs = v; return this; }
        public Builder tty(long v) { tty = v; return this; }
        public Builder loginuid(long v) { loginuid = v; return this; }
        public Builder exeWritable(boolean v) { exeWritable = v; return this; }
        public Builder capInheritable(long v) { capInheritable = v; return this; }
        public Builder capPermitted(long v) { capPermitted = v; return this; }
        public Builder capEffective(long v) { capEffective = v; return this; }
        public Builder exeUpperLayer(boolean v) { exeUpperLayer = v; return this; }
        public Builder exeIno(long v) { exeIno = v; return this; }
        public Builder exeInoCtime(long v) { exeInoCtime = v; return this; }
        public Builder exeInoMtime(long v) { exeInoMtime = v; return this; }
        public Builder exeFromMemfd(boolean v) { exeFromMemfd = v; return this; }
        public Builder exeLowerLayer(boolean v) { exeLowerLayer = v; return this; }
        public Builder fds(List<ScapFd> v) { fds = v; return this; }
        public Builder blockType(int v) { blockType = v; return this; }

        public ScapProcess build() {
            return new ScapProcess(tid, pid, ptid, sid, vpgid, pgid, comm, exe, exepath, args, env, cwd, fdlimit,
                    flags, uid, gid, vmsizeKb, vmrssKb, vmswapKb, pfMajor, pfMinor, vtid, vpid, cgroups, root,
                    pidnsInitStartTs, tty, loginuid, exeWritable, capInheritable, capPermitted, capEffective,
                    exeUpperLayer, exeIno, exeInoCtime, exeInoMtime, exeFromMemfd, exeLowerLayer, fds, blockType);
        }
    }
}
