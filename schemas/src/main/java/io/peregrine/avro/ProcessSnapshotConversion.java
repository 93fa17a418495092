package io.peregrine.avro;

import io.peregrine.capture.FdType;
import io.peregrine.capture.ScapFd;
import io.peregrine.capture.ScapProcess;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts between scap process list entries ({@link ScapProcess}, {@link ScapFd}) and their wire forms
 * ({@link ProcessSnapshot}, {@link FdSnapshot}). The shipper builds snapshots from /proc through
 * ScapProcess; the job turns them back to seed its tables exactly as a capture's header would.
 */
public final class ProcessSnapshotConversion {

    private ProcessSnapshotConversion() {
    }

    /** The thread as a snapshot (its fds go separately, see {@link #fdsToAvro}). */
    public static ProcessSnapshot toAvro(ScapProcess p, String containerId, boolean ancestor, long cloneTs) {
        return ProcessSnapshot.newBuilder()
                .setTid(p.tid()).setPid(p.pid()).setPtid(p.ptid()).setSid(p.sid()).setVpgid(p.vpgid())
                .setPgid(p.pgid()).setComm(p.comm()).setExe(p.exe()).setExepath(p.exepath())
                .setArgs(new ArrayList<>(p.args())).setEnv(new ArrayList<>(p.env())).setCwd(p.cwd())
                .setFdlimit(p.fdlimit()).setFlags(p.flags()).setUid(p.uid()).setGid(p.gid())
                .setVmsizeKb(p.vmsizeKb()).setVmrssKb(p.vmrssKb()).setVmswapKb(p.vmswapKb())
                .setPfMajor(p.pfMajor()).setPfMinor(p.pfMinor()).setVtid(p.vtid()).setVpid(p.vpid())
                .setCgroups(new ArrayList<>(p.cgroups())).setRoot(p.root())
                .setPidnsInitStartTs(p.pidnsInitStartTs()).setTty(p.tty()).setLoginuid(p.loginuid())
                .setExeWritable(p.exeWritable()).setCapInheritable(p.capInheritable())
                .setCapPermitted(p.capPermitted()).setCapEffective(p.capEffective())
                .setExeUpperLayer(p.exeUpperLayer()).setExeIno(p.exeIno()).setExeInoCtime(p.exeInoCtime())
                .setExeInoMtime(p.exeInoMtime()).setExeFromMemfd(p.exeFromMemfd())
                .setExeLowerLayer(p.exeLowerLayer()).setCloneTs(cloneTs)
                .setContainerId(containerId == null ? "" : containerId).setAncestor(ancestor)
                .build();
    }

    /** The snapshot as a process list entry with {@code fds} (e.g. the batch's FdSnapshots of its tid). */
    public static ScapProcess toScap(ProcessSnapshot s, List<FdSnapshot> fds) {
        List<ScapFd> scapFds = new ArrayList<>(fds.size());
        for (FdSnapshot f : fds) {
            scapFds.add(toScap(f));
        }
        return ScapProcess.builder()
                .tid(s.getTid()).pid(s.getPid()).ptid(s.getPtid()).sid(s.getSid()).vpgid(s.getVpgid())
                .pgid(s.getPgid()).comm(s.getComm()).exe(s.getExe()).exepath(s.getExepath()).args(s.getArgs())
                .env(s.getEnv()).cwd(s.getCwd()).fdlimit(s.getFdlimit()).flags(s.getFlags()).uid(s.getUid())
                .gid(s.getGid()).vmsizeKb(s.getVmsizeKb()).vmrssKb(s.getVmrssKb()).vmswapKb(s.getVmswapKb())
                .pfMajor(s.getPfMajor()).pfMinor(s.getPfMinor()).vtid(s.getVtid()).vpid(s.getVpid())
                .cgroups(s.getCgroups()).root(s.getRoot()).pidnsInitStartTs(s.getPidnsInitStartTs())
                .tty(s.getTty()).loginuid(s.getLoginuid()).exeWritable(s.getExeWritable())
                .capInheritable(s.getCapInheritable()).capPermitted(s.getCapPermitted())
                .capEffective(s.getCapEffective()).exeUpperLayer(s.getExeUpperLayer()).exeIno(s.getExeIno())
                .exeInoCtime(s.getExeInoCtime()).exeInoMtime(s.getExeInoMtime())
                .exeFromMemfd(s.getExeFromMemfd()).exeLowerLayer(s.getExeLowerLayer()).fds(scapFds)
                .build();
    }

    /** The thread's fds as FdSnapshots. */
    public static List<FdSnapshot> fdsToAvro(ScapProcess p) {
        List<FdSnapshot> out = new ArrayList<>(p.fds().size());
        for (ScapFd f : p.fds()) {
            out.add(toAvro(p.tid(), f));
        }
        return out;
    }

    public static FdSnapshot toAvro(long tid, ScapFd f) {
        return FdSnapshot.newBuilder().setTid(tid).setFd(f.fd()).setIno(f.ino()).setType(f.typeCode())
                .setName(f.name()).setOpenFlags(f.openFlags()).setDev(f.dev()).setSip(ByteBuffer.wrap(f.sip()))
                .setSport(f.sport()).setDip(ByteBuffer.wrap(f.dip())).setDport(f.dport()).setL4proto(f.l4proto())
                .setUnixSource(f.unixSource()).setUnixDest(f.unixDest()).build();
    }

    public static ScapFd toScap(FdSnapshot f) {
        return new ScapFd(f.getFd(), f.getIno(), FdType.of(f.getType()), f.getType(), f.getName(), f.getOpenFlags(),
                f.getDev(), bytes(f.getSip()), f.getSport(), bytes(f.getDip()), f.getDport(), f.getL4proto(),
                f.getUnixSource(), f.getUnixDest());
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
