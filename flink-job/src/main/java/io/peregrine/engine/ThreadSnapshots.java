package io.peregrine.engine;

import io.peregrine.capture.FdType;
import io.peregrine.capture.ScapFd;
import io.peregrine.capture.ScapProcess;
import io.peregrine.state.FdInfo;
import io.peregrine.state.StateEngine;
import io.peregrine.state.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A state-engine thread as a process-list entry ({@link ScapProcess} with its fds): what a
 * whole-host engine sends to keyed engines, which read it back with
 * {@link io.peregrine.state.CaptureLoader#thread}, as if it came from a capture header.
 */
public final class ThreadSnapshots {

    private ThreadSnapshots() {
    }

    /** The thread with the fds of the table it owns (none for a thread sharing its main thread's table). */
    public static ScapProcess of(StateEngine engine, ThreadInfo t) {
        List<String> cgroups = new ArrayList<>(t.cgroups.size());
        for (String[] c : t.cgroups) {
            cgroups.add(c[0] + "=" + c[1]);
        }
        boolean noCaps = t.capInheritable == -1 && t.capPermitted == -1 && t.capEffective == -1;
        List<ScapFd> fds = new ArrayList<>();
        if (!t.sharesFdTable()) {
            for (Map.Entry<Long, FdInfo> e : t.fds.entrySet()) {
                fds.add(fd(e.getKey(), e.getValue()));
            }
        }
        return ScapProcess.builder()
                .tid(t.tid).pid(t.pid).ptid(t.ptid).sid(t.sid).vpgid(t.vpgid).pgid(t.vpgid)
                .comm(t.comm).exe(t.exe).exepath(t.exePath).args(t.args).env(t.env)
                .cwd(t.cwd)
                .fdlimit(t.fdLimit).flags(t.flags).uid(t.uid).gid(t.gid)
                .vmsizeKb(t.vmSizeKb).vmrssKb(t.vmRssKb).vmswapKb(t.vmSwapKb).pfMajor(t.pfMajor).pfMinor(t.pfMinor)
                .vtid(t.vtid).vpid(t.vpid).cgroups(cgroups).root(t.root).pidnsInitStartTs(t.pidnsInitStartTs)
                .tty(t.tty).loginuid(t.loginUid).exeWritable(t.exeWritable)
                .capInheritable(noCaps ? 0 : t.capInheritable).capPermitted(noCaps ? 0 : t.capPermitted)
                .capEffective(noCaps ? 0 : t.capEffective).exeUpperLayer(t.exeUpperLayer).exeIno(t.exeIno)
                .exeInoCtime(t.exeInoCtime).exeInoMtime(t.exeInoMtime).exeFromMemfd(t.exeFromMemfd)
                .fds(fds)
                .build();
    }

    /** An fd-table entry as an fd-list entry. */
    static ScapFd fd(long fd, FdInfo f) {
        int code = f.type.scapId();
        return new ScapFd(fd, f.ino, FdType.of(code), code, f.name, f.openFlags, f.dev, f.sip, f.sport, f.dip,
                f.dport, f.l4proto, f.unixSource, f.unixDest);
    }
}
