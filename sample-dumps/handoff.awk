# handoff.awk -v want=KIND DUMP: exits 0 if a HotSpot thread dump (jcmd Thread.print -l) caught a
# ReentrantLock between owners, in the way KIND names; capture.sh takes dumps until one does.
#   window:   threads parked for it, no owner, and nothing else in the dump shows the hand-off
#   passed:   a window, and a thread a second old at most (elapsed=) not parked for it, at a later line of
#             the method a waiter locks it from (the code just past the call that locks it)
#   woken:    threads parked for it, no owner, and a thread that runs while parked for it (just woken)
#   released: threads parked for it, no owner, and a running thread inside ReentrantLock.unlock
#   unparked: a thread whose header says runnable while its state still says WAITING (parking) for it
#   both:     (for a dump without -l) a thread parked on its way into a read lock, and one parked for a
#             ReentrantLock
function flush(   a) {
    for (a in mine) {
        if (runs || state == "RUNNABLE") running[a] = 1; else waiting[a] = 1
        if (runs && state == "WAITING") unparked = 1
    }
    if (unlocking && state == "RUNNABLE") releasing = 1
    delete mine
    runs = 0; state = ""; unlocking = 0
}
/^"/ {
    flush(); runs = / runnable /; owning = 0; n++
    young[n] = match($0, / elapsed=[0-9.]+s /) && substr($0, RSTART + 9, RLENGTH - 11) + 0 <= 1
}
/^\tat / {
    # "at pkg.Class.method(File.java:12)": the method and its line, each thread's in order
    method = $2; sub(/\(.*/, "", method)
    line = $0; sub(/.*:/, "", line); sub(/\).*/, "", line)
    frames[n] = frames[n] " " method ":" line
    if (parked[n] != "" && site[n] == "" && method !~ /^(java|jdk)\./) site[n] = method ":" line
}
/java.lang.Thread.State: / { state = $2 }
/parking to wait for .*ReentrantLock/ { match($0, /<0x[0-9a-f]+>/); mine[substr($0, RSTART, RLENGTH)] = 1; parked[n] = substr($0, RSTART, RLENGTH) }
/at java.util.concurrent.locks.ReentrantLock.unlock/ { unlocking = 1 }
/parking to wait for .*ReentrantLock\$/ { exclusiveWait = 1 }
/at java.util.concurrent.locks.ReentrantReadWriteLock\$ReadLock.lock/ { readWait = 1 }
/^   Locked ownable synchronizers:/ { owning = 1; next }
owning && /^\t- </ { match($0, /<0x[0-9a-f]+>/); owned[substr($0, RSTART, RLENGTH)] = 1 }
function passed(a,   t, u, k, m, call, f) {
    for (t = 1; t <= n; t++) {
        if (parked[t] != a || site[t] == "") continue
        split(site[t], call, ":")
        for (u = 1; u <= n; u++) {
            if (parked[u] == a || !young[u]) continue
            m = split(frames[u], f, " ")
            for (k = 1; k <= m; k++) {
                if (substr(f[k], 1, length(call[1]) + 1) == call[1] ":" && substr(f[k], length(call[1]) + 2) + 0 > call[2] + 0) return 1
            }
        }
    }
    return 0
}
END {
    flush()
    if (want == "unparked") exit !unparked
    if (want == "both") exit !(readWait && exclusiveWait)
    for (a in waiting) {
        if (a in owned) continue
        if (want == "window" && !(a in running) && !releasing) exit 0
        if (want == "passed" && !(a in running) && !releasing && passed(a)) exit 0
        if (want == "woken" && (a in running) && !releasing) exit 0
        if (want == "released" && !(a in running) && releasing) exit 0
    }
    exit 1
}
