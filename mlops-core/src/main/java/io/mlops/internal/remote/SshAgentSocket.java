package io.mlops.internal.remote;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * A client of a running SSH agent ({@code ssh-agent}, gpg-agent, a desktop keyring) over its Unix domain socket,
 * {@code $SSH_AUTH_SOCK}: the agent protocol's framing (a 4-byte length, then the message) over the JDK's own Unix
 * socket channel, with MINA's {@link AbstractAgentProxy} encoding the identity and signing requests. No native
 * library is needed (MINA's own agent client needs Tomcat's APR).
 */
final class SshAgentSocket extends AbstractAgentProxy {
  /** Longer answers are not an agent's: a list of 1024 keys fits well below this. */
  private static final int MAX_MESSAGE = 256 * 1024;

  private final Path socket;
  private final SocketChannel channel;
  /** The only keys to offer (IdentitiesOnly), or null for all the agent holds. */
  private final Set<PublicKey> only;

  private SshAgentSocket(Path socket, SocketChannel channel, Set<PublicKey> only) {
    super(null);
    this.socket = socket;
    this.channel = channel;
    this.only = only;
  }

  /** Connects to the agent listening on {@code socket}, to offer all its keys or, unless null, those in {@code only}. */
  static SshAgentSocket connect(Path socket, Set<PublicKey> only) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    return new SshAgentSocket(socket, ch, only);
  }

  @Override
  public Iterable<? extends Map.Entry<PublicKey, String>> getIdentities() throws IOException {
    List<Map.Entry<PublicKey, String>> out = new ArrayList<>();
    for (Map.Entry<PublicKey, String> e : super.getIdentities()) {
      if (only == null || only.stream().anyMatch(k -> KeyUtils.compareKeys(k, e.getKey()))) {
        out.add(e);
      }
    }
    return out;
  }

  /** The MINA factory that hands each login a fresh connection to the agent at {@code socket}. */
  static SshAgentFactory factory(Path socket, Set<PublicKey> only) {
    return new SshAgentFactory() {
      @Override
      public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
        return List.of(); // no agent forwarding: SFTP needs none
      }

      @Override
      public SshAgent createClient(Session session, FactoryManager manager) throws IOException {
        return connect(socket, only);
      }

      @Override
      public SshAgentServer createServer(ConnectionService service) {
        throw new UnsupportedOperationException("agent forwarding is not offered");
      }
    };
  }

  @Override
  protected synchronized Buffer request(Buffer buffer) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available());
    while (out.hasRemaining()) {
      channel.write(out);
    }
    ByteBuffer len = ByteBuffer.allocate(4);
    readFully(len);
    int n = len.flip().getInt();
    if (n <= 0 || n > MAX_MESSAGE) {
      throw new IOException("the SSH agent at " + socket + " sent a message of " + n + " bytes");
    }
    ByteBuffer body = ByteBuffer.allocate(n);
    readFully(body);
    return new ByteArrayBuffer(body.array());
  }

  private void readFully(ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      if (channel.read(b) < 0) {
        throw new EOFException("the SSH agent at " + socket + " closed the connection");
      }
    }
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() throws IOException {
    try {
      super.close();
    } finally {
      channel.close();
    }
  }
}
