package dev.clawrate.operator.egress;

import java.net.UnknownHostException;

/**
 * A connection the egress policy refused. It is an {@link UnknownHostException} because {@code
 * okhttp3.Dns} may throw only that; its message is this operator's words alone, never the host name
 * or address, which may be part of a tenant's secret URL.
 */
public final class EgressRefusedException extends UnknownHostException {
  private static final long serialVersionUID = 1L;

  private final EgressRefusal refusal;

  public EgressRefusedException(EgressRefusal refusal) {
    super("refused by the operator's egress policy: " + refusal.phrase());
    this.refusal = refusal;
  }

  public EgressRefusal refusal() {
    return refusal;
  }
}
