package io.mlops.testing;

import java.lang.reflect.Field;

/** Sets a Mojo's parameter field as Maven would inject it (declared in the class or a superclass). */
public final class Fields {
  private Fields() {}

  public static void set(Object target, String name, Object value) throws ReflectiveOperationException {
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        f.set(target, value);
        return;
      } catch (NoSuchFieldException e) {
        // try the superclass
      }
    }
    throw new NoSuchFieldException(name);
  }
}
