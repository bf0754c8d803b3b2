package io.lockscope.analyzer.threaddump;

import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockRef;
import io.lockscope.model.SourceRef;
import io.lockscope.model.ThreadState;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A thread of a HotSpot-shaped text dump while its lines are read: the header's facts, the frames
 * with the lock lines under each; an immutable {@link JvmThread} once its lines end.
 */
final class TextThread {

    String name;
    final long line;
    OptionalLong javaId = OptionalLong.empty();
    String nid;
    String address;
    boolean daemon;
    boolean virtual;
    OptionalLong cpuMicros = OptionalLong.empty();
    OptionalLong elapsedMillis = OptionalLong.empty();
    String carrier;
    ThreadState state = ThreadState.UNKNOWN;
    String stateDetail = "";
    /** what the header says after the name and ids: "waiting on condition", or the agent's VM state */
    String headerState = "";
    List<LockRef> owned;
    /** a thread of a ThreadInfo rendering (see {@link ThreadInfoText}), null for HotSpot's own */
    ThreadInfoText rendering;
    /** a thread of ThreadInfo.toString(), or of the actuator's text */
    boolean threadInfo;
    boolean actuator;
    /** the owner a ThreadInfo rendering names for the lock the thread waits for */
    /** ThreadInfo.toString() cut its stack at eight frames */
    boolean truncated;
    String owner;
    long ownerId = -1;
    LockRef ownerLock;
    SourceRef ownerAt;

    private final String file;
    private final Map<String, Frame> frameCache;
    /** frames as the Serviceability Agent prints them, and which of them are interpreted */
    private boolean agentFrames;
    private boolean frameInterpreted;
    private final BitSet interpretedFrames = new BitSet();
    private final List<Frame> frames = new ArrayList<>();
    private String frameText;
    private List<LockAction> frameLocks;

    /** A frame without locks is the same object every time its line recurs; the cache is shared by the file's threads. */
    TextThread(String name, long line, String file, Map<String, Frame> frameCache) {
        this.name = name;
        this.line = line;
        this.file = file;
        this.frameCache = frameCache;
    }

    void frame(String text) {
        endFrame();
        frameText = text;
    }

    void agentFrame(String text, boolean interpreted) {
        frame(text);
        agentFrames = true;
        frameInterpreted = interpreted;
    }

    void lockAction(LockAction action) {
        if (frameText == null) {
            // lock lines with no frame line above them: keep them on an unnamed frame
            frameText = "";
        }
        if (frameLocks == null) {
            frameLocks = new ArrayList<>(2);
        }
        frameLocks.add(action);
    }

    void own(LockRef lock) {
        if (owned == null) {
            owned = new ArrayList<>();
        }
        owned.add(lock);
    }

    void endFrame() {
        if (frameText == null) {
            return;
        }
        if (frameInterpreted) {
            interpretedFrames.set(frames.size());
            frameInterpreted = false;
        }
        if (frameLocks == null) {
            Frame cached = frameCache.get(frameText);
            if (cached == null) {
                if (frameCache.size() > 200_000) {
                    frameCache.clear();
                }
                cached = DumpLines.toFrame(frameText, List.of());
                frameCache.put(frameText, cached);
            }
            frames.add(cached);
        } else {
            frames.add(DumpLines.toFrame(frameText, frameLocks));
        }
        frameText = null;
        frameLocks = null;
    }

    /** The thread, the {@code index}th of its dump. */
    JvmThread build(int index) {
        endFrame();
        ThreadState s = state;
        String detail = stateDetail;
        if (s == ThreadState.UNKNOWN) {
            // JDK 1.4 and 5 print no Thread.State line: infer what matters from the header
            if (headerState.startsWith("waiting for monitor entry")) {
                s = ThreadState.BLOCKED;
            } else if (headerState.startsWith("in Object.wait()")) {
                s = ThreadState.WAITING;
            } else if (headerState.startsWith("runnable")) {
                s = ThreadState.RUNNABLE;
            }
            detail = headerState;
        } else if ((s == ThreadState.WAITING || s == ThreadState.TIMED_WAITING) && detail.equals("(parking)")
                && headerState.startsWith("runnable")) {
            // Thread.State still says parked, the OS thread says it runs: an unpark caught in flight
            detail = JvmThread.UNPARKED;
        }
        if (agentFrames) {
            ServiceabilityAgentText.monitorOrder(frames, interpretedFrames, s == ThreadState.BLOCKED && detail.startsWith("(on object monitor)"));
        }
        if (rendering != null) {
            // what a ThreadInfo rendering leaves to be read from the thread's state
            rendering.waits(this, frames, s, detail, SourceRef.line(file, line));
        }
        return new JvmThread(index, name, javaId, Optional.ofNullable(nid), Optional.ofNullable(address), s,
                detail, daemon, virtual, Optional.ofNullable(carrier), frames,
                Optional.ofNullable(owned), SourceRef.line(file, line), true, cpuMicros, elapsedMillis);
    }

    /** HotSpot's header: {@code "name" #12 daemon prio=5 os_prio=0 cpu=1.2ms elapsed=3.4s tid=0x... nid=0x... waiting on condition [0x...]}. */
    static TextThread hotSpotHeader(String line, int close, long n, String file, Map<String, Frame> frameCache) {
        TextThread t = new TextThread(line.substring(1, close), n, file, frameCache);
        String rest = line.substring(close + 1);
        StringBuilder stateText = new StringBuilder();
        boolean afterTid = false;
        boolean inQuotedValue = false;
        for (String token : rest.split(" ")) {
            if (token.isEmpty()) {
                continue;
            }
            if (inQuotedValue) {
                inQuotedValue = !token.endsWith("\"");
                continue;
            }
            int eq = token.indexOf("=\"");
            if (eq > 0) {
                // a quoted field (user="a name"), which may hold spaces: none of it is the state
                inQuotedValue = token.indexOf('"', eq + 2) < 0;
                continue;
            }
            if (token.startsWith("[")) {
                // "[12345]" before tid is the OS thread id (JDK 19+); after it, the stack address
                if (!afterTid && token.endsWith("]")) {
                    t.nid = token.substring(1, token.length() - 1);
                }
                continue;
            }
            if (token.charAt(0) == '#' && token.length() > 1 && Character.isDigit(token.charAt(1))) {
                t.javaId = DumpLines.parseLong(token.substring(1));
            } else if (token.equals("daemon")) {
                t.daemon = true;
            } else if (token.startsWith("cpu=") && token.endsWith("ms")) {
                t.cpuMicros = DumpLines.micros(token, 4, token.length() - 2);
            } else if (token.startsWith("elapsed=") && token.endsWith("s") && !token.endsWith("ms")) {
                // seconds with up to three decimals: read as micros() reads milliseconds, it gives milliseconds
                t.elapsedMillis = DumpLines.micros(token, 8, token.length() - 1);
            } else if (token.startsWith("tid=")) {
                String tid = token.substring(4);
                if (!DumpLines.isZero(tid)) {
                    t.address = tid;
                }
                afterTid = true;
            } else if (token.startsWith("nid=")) {
                if (!DumpLines.isZero(token.substring(4))) {
                    t.nid = token.substring(4);
                }
                afterTid = true;
            } else if (token.indexOf('=') <= 0 && afterTid) {
                // prio=, os_prio=, cpu=, elapsed=, allocated=, defined_classes= before tid; lwp_id= after nid= on HP-UX
                if (stateText.length() > 0) {
                    stateText.append(' ');
                }
                stateText.append(token);
            }
        }
        t.headerState = stateText.toString();
        return t;
    }
}
