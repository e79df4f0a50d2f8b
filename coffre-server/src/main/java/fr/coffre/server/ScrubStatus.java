package fr.coffre.server;

import fr.coffre.service.Scrubber;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the operator console shows of the scrubber ({@code GET /admin/v1/scrub}). */
final class ScrubStatus {
  private ScrubStatus() {}

  static Map<String, Object> of(Scrubber scrubber, Placements placements) {
    Map<String, Object> m = new LinkedHashMap<>();
    var since = scrubber.runningSince();
    m.put("running", since != null);
    m.put("runningSince", since == null ? null : since.toString());
    m.put("interval", placements.scrubInterval().toString());
    Scrubber.LastRun last = scrubber.last();
    if (last == null) {
      m.put("last", null);
    } else {
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("started", last.started().toString());
      l.put("finished", last.finished().toString());
      l.put("blobs", last.result().blobs());
      l.put("repaired", last.result().repaired());
      l.put("unrepairable", last.result().unrepairable());
      l.put("problems", last.result().problems());
      m.put("last", l);
      m.put("next", last.finished().plus(placements.scrubInterval()).toString());
    }
    return m;
  }
}
