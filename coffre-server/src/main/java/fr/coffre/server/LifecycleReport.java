package fr.coffre.server;

import fr.coffre.service.LifecycleJob;
import java.util.LinkedHashMap;
import java.util.Map;

/** A lifecycle pass's result as the admin API answers it (docs/admin-api.md). */
final class LifecycleReport {
  private LifecycleReport() {}

  static Map<String, Object> of(LifecycleJob.Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("now", r.now().toString());
    m.put("buckets", r.buckets());
    m.put("examined", r.examined());
    m.put("expired", r.expired());
    m.put("noncurrentRemoved", r.noncurrentRemoved());
    m.put("deleteMarkersRemoved", r.deleteMarkersRemoved());
    m.put("uploadsAborted", r.uploadsAborted());
    m.put("skipped", r.skipped());
    m.put("problems", r.problems());
    return m;
  }
}
