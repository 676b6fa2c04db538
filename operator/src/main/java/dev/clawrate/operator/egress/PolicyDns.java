package dev.clawrate.operator.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.Dns;

/**
 * Resolves host names for okhttp and returns only the addresses the {@link EgressPolicy} allows.
 *
 * <p>Checking here, not on the URL, is what makes the check hold: okhttp connects only to addresses
 * its {@code Dns} returned, so the address checked is the address connected to. A redirect is a new
 * route, resolved here again; a name that resolves to a public address for a first look and to an
 * internal one for the connection (DNS rebinding) gets no second lookup to exploit, since there is
 * only the one. okhttp 4.12 does not ask its {@code Dns} about IP addresses written in the URL (its
 * {@code RouteSelector} reads them itself) nor, behind a proxy, about the target: {@link
 * PolicySocketFactory} checks every connection's address for the first, and {@link EgressClients}
 * turns proxies off for the second.
 *
 * <p>When no address is allowed it throws {@link EgressRefusedException}, whose message never names
 * the host: a webhook URL is a tenant's secret, host included. A failed lookup is reported in the
 * same spirit.
 */
public final class PolicyDns implements Dns {

  private final EgressPolicy policy;
  private final Dns delegate;

  /**
   * @param delegate the resolver asked for names the policy lets through, e.g. {@link Dns#SYSTEM}
   */
  public PolicyDns(EgressPolicy policy, Dns delegate) {
    this.policy = policy;
    this.delegate = delegate;
  }

  public PolicyDns(EgressPolicy policy) {
    this(policy, Dns.SYSTEM);
  }

  @Override
  public List<InetAddress> lookup(String hostname) throws UnknownHostException {
    if (!policy.mayResolve(hostname)) {
      throw new EgressRefusedException(EgressRefusal.INTERNAL_NAME);
    }
    List<InetAddress> resolved;
    try {
      resolved = delegate.lookup(hostname);
    } catch (UnknownHostException e) {
      // The resolver's message names the host.
      throw new UnknownHostException("the host name could not be resolved");
    }
    List<InetAddress> allowed = new ArrayList<>();
    EgressRefusal firstRefusal = null;
    for (InetAddress address : resolved) {
      Optional<EgressRefusal> refusal = policy.refusalOf(hostname, address);
      if (refusal.isEmpty()) {
        allowed.add(address);
      } else if (firstRefusal == null) {
        firstRefusal = refusal.get();
      }
    }
    if (allowed.isEmpty()) {
      throw firstRefusal != null
          ? new EgressRefusedException(firstRefusal)
          : new UnknownHostException("the host name has no addresses");
    }
    return allowed;
  }
}
