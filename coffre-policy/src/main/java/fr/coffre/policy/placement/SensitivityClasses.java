package fr.coffre.policy.placement;

import static fr.coffre.policy.placement.SensitivityClass.KEY_FILE;
import static fr.coffre.policy.placement.SensitivityClass.KEY_HSM;
import static fr.coffre.policy.placement.SensitivityClass.KEY_SEALED;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The sensitivity classes in force: the defaults, plus or overridden by the operator's own.
 *
 * <p>The defaults follow the French "cloud au centre" doctrine, from the least to the most
 * sensitive; the operator may override any of them, or add classes, with {@link #with}:
 *
 * <table>
 *   <caption>Default sensitivity classes</caption>
 *   <tr><th>class</th><th>allowed locations</th><th>copies</th><th>sites</th><th>key modes</th>
 *       <th>SigV2</th>
 *   <tr><td>public</td><td>anywhere</td><td>1</td><td>1</td><td>file, sealed, hsm</td><td>yes</td>
 *   <tr><td>internal</td><td>anywhere</td><td>1</td><td>1</td><td>file, sealed, hsm</td>
 *       <td>yes</td>
 *   <tr><td>personal</td><td>an EU country (GDPR), under EU jurisdiction</td><td>2</td><td>1</td>
 *       <td>file, sealed, hsm</td><td>yes</td>
 *   <tr><td>health</td><td>an EEA country, HDS-qualified ({@code hds})</td><td>2</td><td>2</td>
 *       <td>sealed, hsm</td><td>no</td>
 *   <tr><td>sensitive</td><td>an EU country, under EU jurisdiction (immune to extra-EU law),
 *       SecNumCloud-qualified ({@code secnumcloud})</td><td>2</td><td>2</td><td>sealed, hsm</td>
 *       <td>no</td>
 *   <tr><td>restricted</td><td>France only, under EU jurisdiction, SecNumCloud-qualified, and
 *       operated by the operator itself</td><td>2</td><td>2</td><td>hsm</td><td>no</td>
 * </table>
 *
 * <p>The SigV2 column says whether requests signed with AWS Signature Version 2 (HMAC-SHA1) may
 * reach the class's buckets: the classes that require qualified hosting refuse it.
 *
 * <p>Instances are immutable; {@link #names()} lists the defaults in the order above, then the
 * operator's classes in the order they were added.
 */
public final class SensitivityClasses {
  private static final SensitivityClasses DEFAULTS =
      new SensitivityClasses(Map.of())
          .with(
              SensitivityClass.of(
                  "public", LocationRule.ANYWHERE, 1, 1, KEY_FILE, KEY_SEALED, KEY_HSM))
          .with(
              SensitivityClass.of(
                  "internal", LocationRule.ANYWHERE, 1, 1, KEY_FILE, KEY_SEALED, KEY_HSM))
          .with(
              SensitivityClass.of(
                  "personal",
                  new LocationRule(Countries.EU, false, true, Set.of(), false),
                  2,
                  1,
                  KEY_FILE,
                  KEY_SEALED,
                  KEY_HSM))
          .with(
              SensitivityClass.of(
                      "health",
                      new LocationRule(null, true, false, Set.of("hds"), false),
                      2,
                      2,
                      KEY_SEALED,
                      KEY_HSM)
                  .withSigv2(false)
                  .withPublicAccess(false))
          .with(
              SensitivityClass.of(
                      "sensitive",
                      new LocationRule(Countries.EU, false, true, Set.of("secnumcloud"), false),
                      2,
                      2,
                      KEY_SEALED,
                      KEY_HSM)
                  .withSigv2(false)
                  .withPublicAccess(false))
          .with(
              SensitivityClass.of(
                      "restricted",
                      new LocationRule(Set.of("FR"), false, true, Set.of("secnumcloud"), true),
                      2,
                      2,
                      KEY_HSM)
                  .withSigv2(false)
                  .withPublicAccess(false));

  private final Map<String, SensitivityClass> byName;

  private SensitivityClasses(Map<String, SensitivityClass> byName) {
    this.byName = byName;
  }

  /** The default classes of the doctrine (see the class documentation). */
  public static SensitivityClasses defaults() {
    return DEFAULTS;
  }

  /** These classes with {@code c} added, or replacing the class of the same name in place. */
  public SensitivityClasses with(SensitivityClass c) {
    Objects.requireNonNull(c, "sensitivity class");
    Map<String, SensitivityClass> copy = new LinkedHashMap<>(byName);
    copy.put(c.name(), c);
    return new SensitivityClasses(copy);
  }

  /**
   * The class called {@code name}.
   *
   * @throws IllegalArgumentException for an unknown class; the message lists the known ones
   */
  public SensitivityClass get(String name) {
    SensitivityClass c = name == null ? null : byName.get(name);
    if (c == null) {
      throw new IllegalArgumentException(
          "unknown sensitivity class '" + name + "'; known: " + String.join(", ", byName.keySet()));
    }
    return c;
  }

  /** Every class name: the defaults in doctrine order, then the operator's in insertion order. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }
}
