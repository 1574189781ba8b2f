package dev.bridle.server.auth;

class InMemoryTokenStoreTest extends TokenStoreContract {

  @Override
  protected TokenStore store() {
    return new InMemoryTokenStore(clock);
  }
}
