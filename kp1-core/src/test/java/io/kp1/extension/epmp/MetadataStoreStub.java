package io.kp1.extension.epmp;

/** A {@link MetadataStore} with nothing in it, for tests that only need the routes. */
public final class MetadataStoreStub extends InMemoryMetadataStore {
    public MetadataStoreStub() {
        super(null);
    }
}
