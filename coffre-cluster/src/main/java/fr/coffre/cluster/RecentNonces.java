package fr.coffre.cluster;

import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The nonces seen within the acceptance window, so that a captured request cannot be replayed.
 *
 * <p>Bounded: when more than {@code capacity} nonces are remembered, the oldest-dated are forgotten
 * and the date of the newest forgotten one becomes a floor; a request dated at or below the floor
 * is refused, since whether its nonce was seen can no longer be told. So the memory stays bounded
 * and the check stays sound: under heavy load the accepted clock skew narrows instead of letting a
 * replay through. Removing the floor would reopen replay of every forgotten nonce.
 */
final class RecentNonces {
  private record Seen(long date, String nonce) {}

  private final int capacity;
  private final long windowMillis;
  private final Set<String> nonces = new HashSet<>();
  private final PriorityQueue<Seen> byDate =
      new PriorityQueue<>((a, b) -> Long.compare(a.date(), b.date()));
  private long floor = Long.MIN_VALUE;

  RecentNonces(int capacity, long windowMillis) {
    if (capacity < 1) {
      throw new IllegalArgumentException("nonce capacity must be at least 1, not " + capacity);
    }
    this.capacity = capacity;
    this.windowMillis = windowMillis;
  }

  /** Remembers a nonce, refusing it if it was already used or can no longer be checked. */
  synchronized void use(String nonce, long date, long now) throws ClusterAuthException {
    for (Seen oldest = byDate.peek();
        oldest != null && oldest.date() < now - windowMillis;
        oldest = byDate.peek()) {
      byDate.remove();
      nonces.remove(oldest.nonce());
    }
    if (date <= floor) {
      throw new ClusterAuthException("request too old to be checked for replay (nonce cache full)");
    }
    if (!nonces.add(nonce)) {
      throw new ClusterAuthException("replayed nonce");
    }
    byDate.add(new Seen(date, nonce));
    while (nonces.size() > capacity) {
      Seen forgotten = byDate.remove();
      nonces.remove(forgotten.nonce());
      floor = Math.max(floor, forgotten.date());
    }
  }

  synchronized int size() {
    return nonces.size();
  }
}
