package dev.ferry.api;

/**
 * An option a provider understands, for help texts and for redaction.
 *
 * @param name the key in the options map and in the URI's query string
 * @param description what it does, one line
 * @param secret whether its value is a credential, never to be shown
 */
public record TargetOption(String name, String description, boolean secret) {

    /** An ordinary option. */
    public static TargetOption of(String name, String description) {
        return new TargetOption(name, description, false);
    }

    /** A credential. */
    public static TargetOption secret(String name, String description) {
        return new TargetOption(name, description, true);
    }
}
