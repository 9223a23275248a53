package io.mlops.internal.remote;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeader;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.core.util.FluxUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Azure SDK's {@link HttpClient} over the JDK's {@code java.net.http} client, so that the Blob client needs no
 * Netty or OkHttp. Synchronous: request bodies are streamed from their {@link BinaryData} (a file slice is read
 * as it is sent, never held whole), response bodies are read from the connection as the caller reads them. The
 * read timeout bounds the wait for the response's headers and for each piece of its body (a stalled download
 * fails with an {@link HttpTimeoutException} instead of hanging).
 */
public final class AzureHttp implements HttpClient {
  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

  private final java.net.http.HttpClient http;
  private final Duration readTimeout;

  public AzureHttp(Duration connectTimeout, Duration readTimeout) {
    this.readTimeout = readTimeout;
    this.http = java.net.http.HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .version(java.net.http.HttpClient.Version.HTTP_1_1)
        .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
        .executor(Executors.newCachedThreadPool(r -> {
          Thread t = new Thread(r, "mlops-azure-http");
          t.setDaemon(true);
          return t;
        }))
        .build();
  }

  @Override
  public Mono<HttpResponse> send(HttpRequest request) {
    return Mono.fromCallable(() -> sendSync(request, Context.NONE));
  }

  @Override
  public Mono<HttpResponse> send(HttpRequest request, Context context) {
    return Mono.fromCallable(() -> sendSync(request, context));
  }

  @Override
  public HttpResponse sendSync(HttpRequest request, Context context) {
    java.net.http.HttpRequest.Builder b;
    try {
      b = java.net.http.HttpRequest.newBuilder(request.getUrl().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("bad request URL", e);
    }
    b.timeout(readTimeout);
    for (HttpHeader h : request.getHeaders()) {
      if (RESTRICTED.contains(h.getName().toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String v : h.getValuesList()) {
        b.header(h.getName(), v);
      }
    }
    b.method(request.getHttpMethod().toString(), body(request));
    java.net.http.HttpResponse<InputStream> response;
    try {
      response = http.send(b.build(), info -> BodySubscribers.mapping(BodySubscribers.ofPublisher(),
          p -> new TimedBody(p, readTimeout)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException("interrupted"));
    }
    return new Response(request, response);
  }

  private static BodyPublisher body(HttpRequest request) {
    BinaryData data = request.getBodyAsBinaryData();
    if (data == null || request.getHttpMethod() == HttpMethod.HEAD || request.getHttpMethod() == HttpMethod.GET) {
      String len = request.getHeaders().getValue("Content-Length");
      return data == null || "0".equals(len) ? BodyPublishers.noBody() : publisher(data, len);
    }
    return publisher(data, request.getHeaders().getValue("Content-Length"));
  }

  private static BodyPublisher publisher(BinaryData data, String contentLength) {
    Long length = contentLength != null ? Long.valueOf(contentLength.strip()) : data.getLength();
    if (length != null && length == 0) {
      return BodyPublishers.noBody();
    }
    BodyPublisher stream = BodyPublishers.ofInputStream(data::toStream);
    return length == null ? stream : BodyPublishers.fromPublisher(stream, length);
  }

  /** A response whose body is read from the connection on demand. */
  private static final class Response extends HttpResponse {
    private final java.net.http.HttpResponse<InputStream> response;
    private final HttpHeaders headers;
    private boolean consumed;
    private byte[] buffered;

    Response(HttpRequest request, java.net.http.HttpResponse<InputStream> response) {
      super(request);
      this.response = response;
      this.headers = new HttpHeaders();
      for (Map.Entry<String, List<String>> e : response.headers().map().entrySet()) {
        if (!e.getKey().startsWith(":")) {
          headers.set(e.getKey(), e.getValue());
        }
      }
    }

    @Override
    public int getStatusCode() {
      return response.statusCode();
    }

    @Override
    public String getHeaderValue(String name) {
      return headers.getValue(name);
    }

    @Override
    public HttpHeaders getHeaders() {
      return headers;
    }

    private synchronized InputStream stream() {
      if (buffered != null) {
        return new java.io.ByteArrayInputStream(buffered);
      }
      if (consumed) {
        throw new IllegalStateException("the response body was already read");
      }
      consumed = true;
      return response.body();
    }

    @Override
    public InputStream getBodyAsInputStreamSync() {
      return stream();
    }

    @Override
    public Mono<InputStream> getBodyAsInputStream() {
      return Mono.fromCallable(this::stream);
    }

    @Override
    public BinaryData getBodyAsBinaryData() {
      String len = headers.getValue("Content-Length");
      return BinaryData.fromStream(stream(), len == null ? null : Long.valueOf(len.strip()));
    }

    @Override
    public Flux<ByteBuffer> getBody() {
      return Flux.defer(() -> FluxUtil.toFluxByteBuffer(stream(), 64 * 1024));
    }

    @Override
    public Mono<byte[]> getBodyAsByteArray() {
      return Mono.fromCallable(this::readAll);
    }

    @Override
    public Mono<String> getBodyAsString() {
      return getBodyAsString(StandardCharsets.UTF_8);
    }

    @Override
    public Mono<String> getBodyAsString(Charset charset) {
      return Mono.fromCallable(() -> new String(readAll(), charset));
    }

    @Override
    public void writeBodyTo(WritableByteChannel channel) throws IOException {
      try (InputStream in = stream()) {
        in.transferTo(Channels.newOutputStream(channel));
      }
    }

    private synchronized byte[] readAll() {
      if (buffered == null) {
        try (InputStream in = stream()) {
          buffered = in.readAllBytes();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return buffered;
    }

    @Override
    public HttpResponse buffer() {
      readAll();
      return this;
    }

    @Override
    public synchronized void close() {
      try {
        response.body().close();
      } catch (IOException e) {
        // the connection is dropped
      }
    }
  }
}
