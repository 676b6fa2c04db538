package dev.clawrate.operator.api;

import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Collection;
import java.util.List;

/**
 * Says why JSON could not be read as one of our types: the JSON path and what was expected there.
 * Never the value found, which is user input and may be huge or a secret; field names are user
 * input too, so they are cut short and anything but letters, digits and {@code _ - . $} is shown as
 * {@code ?}. The result goes into conditions, events and logs as it is.
 */
final class ReadProblems {

  /** No description is longer than this. */
  static final int MAX_LENGTH = 300;

  static final int MAX_NAME_LENGTH = 40;

  static final String UNKNOWN_FIELD =
      " is not a field this operator knows (the CRD may be newer than the operator)";

  private ReadProblems() {}

  /**
   * @param root the path of the JSON that was read, e.g. {@code spec}
   */
  static String describe(String root, JsonMappingException e) {
    String path = path(root, e.getPath());
    if (e instanceof UnrecognizedPropertyException) {
      return bounded(path + UNKNOWN_FIELD);
    }
    if (e.getCause() instanceof InputCoercionException) {
      return bounded(path + " is out of range");
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return bounded(path + " must be " + expected(mismatch.getTargetType()));
    }
    return unreadable(path);
  }

  static String unreadable(String path) {
    return bounded(path + " could not be read");
  }

  private static String path(String root, List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder(root);
    for (JsonMappingException.Reference reference : references) {
      if (reference.getFieldName() != null) {
        path.append('.').append(safeName(reference.getFieldName()));
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  static String safeName(String name) {
    if (name.isEmpty()) {
      return "\"\"";
    }
    StringBuilder safe = new StringBuilder();
    int length = Math.min(name.length(), MAX_NAME_LENGTH);
    for (int i = 0; i < length; i++) {
      char c = name.charAt(i);
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-'
              || c == '.'
              || c == '$';
      safe.append(plain ? c : '?');
    }
    if (name.length() > MAX_NAME_LENGTH) {
      safe.append("...");
    }
    return safe.toString();
  }

  private static String expected(Class<?> type) {
    if (type == Integer.class || type == Long.class || type == Short.class) {
      return "a whole number";
    }
    if (Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class) {
      return "true or false";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    return "an object";
  }

  private static String bounded(String problem) {
    return problem.length() <= MAX_LENGTH ? problem : problem.substring(0, MAX_LENGTH - 3) + "...";
  }
}
