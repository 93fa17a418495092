package io.peregrine.job.rules;

import java.util.Set;

/**
 * The event types the state engine needs whatever the rules say: without them the process and fd
 * tables go wrong (a missed clone loses a process, a missed close leaks an fd, a missed execve
 * keeps the old name). The probes must capture these even when no rule names them.
 */
public final class StateEventTypes {

    /** The evt.type names that {@code io.peregrine.state.StateEngine} parses into its tables. */
    public static final Set<String> NAMES = Set.of(
            "clone", "clone3", "fork", "vfork", "execve", "execveat", "procexit",
            "open", "openat", "openat2", "creat", "close",
            "dup", "dup2", "dup3", "fcntl", "pipe", "pipe2",
            "socket", "socketpair", "bind", "connect", "accept", "accept4",
            "eventfd", "eventfd2", "signalfd", "signalfd4", "timerfd_create", "inotify_init", "inotify_init1",
            "epoll_create", "epoll_create1", "memfd_create", "userfaultfd",
            "chdir", "fchdir", "chroot", "capset",
            "setuid", "setgid", "setresuid", "setresgid", "setsid", "setpgid",
            "prlimit", "setrlimit", "container");

    private StateEventTypes() {
    }
}
