package dev.clawrate.operator.egress;

import java.net.Proxy;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/** okhttp clients that connect only where an {@link EgressPolicy} allows. */
public final class EgressClients {

  private EgressClients() {}

  /**
   * The client with the policy checked on every connection, redirects included: names are resolved
   * through {@link PolicyDns} (on the client's own resolver) and every socket's address is checked
   * again as it connects, which covers IP addresses written in URLs. A proxy would connect on the
   * operator's behalf to a target okhttp never resolves, so the client uses none; and it keeps its
   * own connection pool, so it never reuses a connection another client opened.
   *
   * <p>A refusal surfaces from the call as an {@link EgressRefusedException}.
   */
  public static OkHttpClient guarded(OkHttpClient client, EgressPolicy policy) {
    return client
        .newBuilder()
        .dns(new PolicyDns(policy, client.dns()))
        .socketFactory(new PolicySocketFactory(policy))
        .proxy(Proxy.NO_PROXY)
        .connectionPool(new ConnectionPool())
        .build();
  }
}
