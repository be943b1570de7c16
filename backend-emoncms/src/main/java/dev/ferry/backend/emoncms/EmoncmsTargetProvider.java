package dev.ferry.backend.emoncms;

/**
 * The {@code emoncms} scheme: {@code emoncms://HOST[:PORT]/PATH} over plain HTTP, options
 * {@code apikey} or {@code user} + {@code password}. See {@link EmoncmssTargetProvider} for https.
 */
public final class EmoncmsTargetProvider extends EmoncmsProviderBase {

    /** For {@link java.util.ServiceLoader}. */
    public EmoncmsTargetProvider() {
        super("emoncms", false);
    }
}
