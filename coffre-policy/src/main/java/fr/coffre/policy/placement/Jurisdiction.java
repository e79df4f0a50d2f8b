package fr.coffre.policy.placement;

/**
 * The legal order a location answers to: {@link #EU} when neither the site nor its operator is
 * subject to extra-EU law (such as the US CLOUD Act), {@link #NON_EU} otherwise.
 */
public enum Jurisdiction {
  /** Subject to EU and member-state law only. */
  EU,
  /** Subject to the law of a non-EU state, whatever the site's country. */
  NON_EU
}
