package fr.coffre.core;

/** An If-None-Match or If-Modified-Since condition says the client copy is current. */
public final class NotModifiedException extends CoffreException {
  private final ETag etag;

  public NotModifiedException(ETag etag) {
    super("Not Modified");
    this.etag = etag;
  }

  public ETag etag() {
    return etag;
  }
}
