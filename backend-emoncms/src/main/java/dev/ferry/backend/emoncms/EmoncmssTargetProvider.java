package dev.ferry.backend.emoncms;

/**
 * The {@code emoncmss} scheme: {@code emoncmss://HOST[:PORT]/PATH} over https, the certificate
 * checked against the JDK trust store; options as {@link EmoncmsTargetProvider}.
 */
public final class EmoncmssTargetProvider extends EmoncmsProviderBase {

    /** For {@link java.util.ServiceLoader}. */
    public EmoncmssTargetProvider() {
        super("emoncmss", true);
    }
}
