# handoff.awk -v want=KIND DUMP: exits 0 if a HotSpot thread dump (jcmd Thread.print -l) caught a
# ReentrantLock between owners, in the way KIND names; capture.sh takes dumps until one does.
#   window:   threads parked for it, no owner, and nothing else in the dump shows the hand-off
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
/^"/ { flush(); runs = / runnable /; owning = 0 }
/java.lang.Thread.State: / { state = $2 }
/parking to wait for .*ReentrantLock/ { match($0, /<0x[0-9a-f]+>/); mine[substr($0, RSTART, RLENGTH)] = 1 }
/at java.util.concurrent.locks.ReentrantLock.unlock/ { unlocking = 1 }
/parking to wait for .*ReentrantLock\$/ { exclusiveWait = 1 }
/at java.util.concurrent.locks.ReentrantReadWriteLock\$ReadLock.lock/ { readWait = 1 }
/^   Locked ownable synchronizers:/ { owning = 1; next }
owning && /^\t- </ { match($0, /<0x[0-9a-f]+>/); owned[substr($0, RSTART, RLENGTH)] = 1 }
END {
    flush()
    if (want == "unparked") exit !unparked
    if (want == "both") exit !(readWait && exclusiveWait)
    for (a in waiting) {
        if (a in owned) continue
        if (want == "window" && !(a in running) && !releasing) exit 0
        if (want == "woken" && (a in running) && !releasing) exit 0
        if (want == "released" && !(a in running) && releasing) exit 0
    }
    exit 1
}
