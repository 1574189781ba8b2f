package dev.bridle.server;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * One endpoint of the API: method, path (Javalin syntax, {@code {id}} for a path parameter), who
 * may call it, and its handler.
 */
record Route(HandlerType method, String path, Access access, Handler handler) {

  static Route get(String path, Access access, Handler handler) {
    return new Route(HandlerType.GET, path, access, handler);
  }

  static Route post(String path, Access access, Handler handler) {
    return new Route(HandlerType.POST, path, access, handler);
  }

  static Route delete(String path, Access access, Handler handler) {
    return new Route(HandlerType.DELETE, path, access, handler);
  }
}
