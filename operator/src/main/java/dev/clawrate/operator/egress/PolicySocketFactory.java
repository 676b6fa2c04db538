package dev.clawrate.operator.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Optional;
import javax.net.SocketFactory;

/**
 * Plain sockets that refuse to connect to an address the {@link EgressPolicy} refuses. okhttp makes
 * every connection's socket here and connects it itself, so this sees the address of every
 * connection, including those to IP addresses written in a URL, which never pass through {@link
 * PolicyDns}. TLS is layered on these sockets.
 */
final class PolicySocketFactory extends SocketFactory {

  private final EgressPolicy policy;

  PolicySocketFactory(EgressPolicy policy) {
    this.policy = policy;
  }

  @Override
  public Socket createSocket() {
    return new PolicySocket(policy);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connected(
        new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(
        new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
  }

  private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
    Socket socket = createSocket();
    try {
      if (local != null) {
        socket.bind(local);
      }
      socket.connect(remote);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** Checks the address of every connect: {@code connect(SocketAddress)} comes here too. */
  private static final class PolicySocket extends Socket {
    private final EgressPolicy policy;

    PolicySocket(EgressPolicy policy) {
      this.policy = policy;
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      if (endpoint instanceof InetSocketAddress inet && inet.getAddress() != null) {
        Optional<EgressRefusal> refusal = policy.refusalOf(inet.getAddress());
        if (refusal.isPresent()) {
          close();
          throw new EgressRefusedException(refusal.get());
        }
      }
      super.connect(endpoint, timeout);
    }
  }
}
