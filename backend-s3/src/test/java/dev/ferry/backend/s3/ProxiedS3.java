package dev.ferry.backend.s3;

import dev.ferry.api.SyncTarget;
import dev.ferry.api.TargetSpec;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A {@link FaultProxy} in front of the shared S3Proxy, a raw client to look behind a target's
 * back, and a fresh prefix per test: what the fault, signing and streamed-PUT tests share.
 * Register it with {@code @RegisterExtension final ProxiedS3 s3 = new ProxiedS3("name");}.
 */
final class ProxiedS3 implements BeforeEachCallback, AfterEachCallback {
    private final String name;
    FaultProxy proxy;
    S3Client raw;
    String prefix;

    ProxiedS3(String name) {
        this.name = name;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        proxy = new FaultProxy(S3ProxyServer.get().endpoint());
        raw = S3ProxyServer.get().client();
        prefix = S3ProxyServer.freshPrefix(name);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        proxy.close();
        raw.close();
    }

    /** A target at the prefix that reaches the store through the proxy, with these options. */
    SyncTarget open(Map<String, String> options) throws IOException {
        Map<String, String> m = new HashMap<>(S3ProxyServer.get().credentials());
        m.put("endpoint", proxy.endpoint().toString());
        m.putAll(options);
        return new S3TargetProvider().open(new TargetSpec(URI.create("s3://" + S3ProxyServer.BUCKET + "/" + prefix), m));
    }
}
