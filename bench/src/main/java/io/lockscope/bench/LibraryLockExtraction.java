package io.lockscope.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.netbeans.lib.profiler.heap.Heap;
import org.netbeans.lib.profiler.heap.HeapFactory;
import org.netbeans.lib.profiler.heap.Instance;
import org.netbeans.lib.profiler.heap.JavaClass;
import org.netbeans.lib.profiler.heap.PrimitiveArrayInstance;

/**
 * The same lock extraction as lockscope's heap reader, done with gridkit's hprof-heap (the
 * NetBeans profiler heap): every AbstractOwnableSynchronizer with its state and owner thread (name,
 * tid, status), and every thread. Prints what it found, the time and the peak resident memory.
 */
public final class LibraryLockExtraction {

    public static void main(String[] args) throws Exception {
        File file = new File(args[0]);
        long start = System.nanoTime();
        Heap heap = HeapFactory.createFastHeap(file);
        List<JavaClass> syncClasses = new ArrayList<>();
        List<JavaClass> threadClasses = new ArrayList<>();
        for (JavaClass c : heap.getAllClasses()) {
            if (isSubclass(c, "java.util.concurrent.locks.AbstractOwnableSynchronizer")) {
                syncClasses.add(c);
            }
            if (isSubclass(c, "java.lang.Thread")) {
                threadClasses.add(c);
            }
        }
        long locks = 0;
        long held = 0;
        long withDeadOwner = 0;
        for (JavaClass c : syncClasses) {
            for (Instance sync : c.getInstances()) {
                locks++;
                Object owner = sync.getValueOfField("exclusiveOwnerThread");
                Object state = sync.getValueOfField("state");
                if (owner instanceof Instance o && state != null && !"0".equals(state.toString())) {
                    held++;
                    name(o);
                    if (!alive(o)) {
                        withDeadOwner++;
                    }
                }
            }
        }
        long threads = 0;
        for (JavaClass c : threadClasses) {
            for (Instance t : c.getInstances()) {
                threads++;
                name(t);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long size = Files.size(Path.of(args[0]));
        System.out.printf("library (gridkit hprof-heap 0.16): %d locks, %d held, %d by dead threads, %d threads; %.2f s = %.0f MB/s; peak RSS %s%n",
                locks, held, withDeadOwner, threads, seconds, size / seconds / 1e6, peakRss());
    }

    static boolean isSubclass(JavaClass c, String name) {
        for (JavaClass k = c; k != null; k = k.getSuperClass()) {
            if (k.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    static boolean alive(Instance thread) {
        Object holder = thread.getValueOfField("holder");
        Object status = holder instanceof Instance h ? h.getValueOfField("threadStatus") : thread.getValueOfField("threadStatus");
        return status != null && (Integer.parseInt(status.toString()) & 1) != 0;
    }

    static String name(Instance thread) {
        Object name = thread.getValueOfField("name");
        if (name instanceof Instance s) {
            Object value = s.getValueOfField("value");
            if (value instanceof PrimitiveArrayInstance a) {
                StringBuilder sb = new StringBuilder();
                for (Object b : a.getValues()) {
                    sb.append((char) Integer.parseInt(b.toString()));
                }
                return sb.toString();
            }
        }
        return "";
    }

    static String peakRss() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmHWM:")) {
                return l.substring(6).strip();
            }
        }
        return "n/a";
    }
}
