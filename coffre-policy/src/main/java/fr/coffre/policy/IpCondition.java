package fr.coffre.policy;

import java.util.List;

/** IpAddress and NotIpAddress: the request's address against CIDR blocks parsed at parse time. */
final class IpCondition extends Condition {
  private final Cidr[] blocks;

  IpCondition(ConditionOperator op, String key, List<String> operands) {
    super(op, key);
    blocks = new Cidr[operands.size()];
    for (int i = 0; i < blocks.length; i++) {
      blocks[i] = Cidr.parse(operands.get(i));
    }
  }

  @Override
  int match(String requestValue, RequestContext ctx) {
    IpAddress a = IpAddress.parse(requestValue);
    if (a == null) {
      return Glob.NO_MATCH;
    }
    for (Cidr c : blocks) {
      if (c.contains(a)) {
        return Glob.MATCH;
      }
    }
    return Glob.NO_MATCH;
  }
}
