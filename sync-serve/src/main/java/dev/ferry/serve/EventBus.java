package dev.ferry.serve;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The server's events, numbered in the order they happened, for the event stream: each
 * subscriber has a bounded queue of its own (a reader too slow to keep up is cut off rather than
 * let memory grow), and the last few hundred events are kept so a client that reconnects with
 * {@code Last-Event-ID} misses nothing recent.
 */
final class EventBus {

    /**
     * One event.
     *
     * @param id its number, increasing by one
     * @param type what happened ({@code run-started}, {@code progress}, {@code run-ended}...)
     * @param data its details, written as JSON
     */
    record Event(long id, String type, Instant time, Map<String, Object> data) {}

    /** A subscriber's queue; {@link #overflowed} says it fell behind and was dropped. */
    static final class Subscription {
        final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE);
        volatile boolean overflowed;
    }

    private static final int KEPT = 500;
    private static final int QUEUE = 2_000;

    private final Deque<Event> recent = new ArrayDeque<>();
    private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
    private long next = 1;

    /** Publishes an event to every subscriber, in order. */
    void publish(String type, Map<String, Object> data) {
        synchronized (this) {
            Event e = new Event(next++, type, Instant.now(), data);
            recent.addLast(e);
            if (recent.size() > KEPT) {
                recent.removeFirst();
            }
            // Under the lock, so every subscriber sees events in id order.
            for (Subscription s : subscribers) {
                if (!s.queue.offer(e)) {
                    s.overflowed = true;
                    subscribers.remove(s);
                }
            }
        }
    }

    /** Subscribes, first queueing the kept events after {@code afterId} (0: none). */
    synchronized Subscription subscribe(long afterId) {
        Subscription s = new Subscription();
        if (afterId > 0) {
            for (Event e : recent) {
                if (e.id() > afterId) {
                    s.queue.offer(e);
                }
            }
        }
        subscribers.add(s);
        return s;
    }

    void unsubscribe(Subscription s) {
        subscribers.remove(s);
    }

    int subscribers() {
        return subscribers.size();
    }

    /** The kept events, oldest first. */
    synchronized List<Event> recent() {
        return new ArrayList<>(recent);
    }
}
