package fr.coffre.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * Bucket settings (CORS, lifecycle, ACL...) as JSON, with the member names of the S3 API ({@code
 * CORSRules}, {@code AllowedOrigins}): the SDK's model describes its own fields, so one walk over
 * them writes and reads every setting instead of a hand-written mapping per setting.
 */
final class SdkJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SdkJson() {}

  static ObjectNode toJson(SdkPojo pojo) {
    ObjectNode node = NODES.objectNode();
    for (SdkField<?> field : pojo.sdkFields()) {
      Object value = field.getValueOrDefault(pojo);
      JsonNode json = value == null ? null : valueToJson(field, value);
      if (json != null) {
        node.set(field.memberName(), json);
      }
    }
    return node;
  }

  private static @Nullable JsonNode valueToJson(SdkField<?> field, Object value) {
    MarshallingType<?> type = field.marshallingType();
    if (type.equals(MarshallingType.SDK_POJO)) {
      return toJson((SdkPojo) value);
    }
    if (type.equals(MarshallingType.LIST)) {
      if (value instanceof software.amazon.awssdk.core.util.SdkAutoConstructList) {
        return null;
      }
      SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
      ArrayNode array = NODES.arrayNode();
      for (Object item : (List<?>) value) {
        JsonNode j = item == null ? NODES.nullNode() : valueToJson(member, item);
        array.add(j == null ? NODES.nullNode() : j);
      }
      return array;
    }
    if (type.equals(MarshallingType.MAP)) {
      if (value instanceof software.amazon.awssdk.core.util.SdkAutoConstructMap) {
        return null;
      }
      SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
      ObjectNode map = NODES.objectNode();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        JsonNode j = e.getValue() == null ? null : valueToJson(member, e.getValue());
        map.set(String.valueOf(e.getKey()), j == null ? NODES.nullNode() : j);
      }
      return map;
    }
    if (value instanceof Instant i) {
      return NODES.textNode(i.toString());
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Integer n) {
      return NODES.numberNode(n);
    }
    if (value instanceof Long n) {
      return NODES.numberNode(n);
    }
    if (value instanceof Number n) {
      return NODES.numberNode(new BigDecimal(n.toString()));
    }
    if (value instanceof String s) {
      return NODES.textNode(s);
    }
    // Binary and documents do not occur in bucket settings.
    return null;
  }

  /** Builds the SDK object that {@code builder} makes from JSON written by {@link #toJson}. */
  @SuppressWarnings("unchecked")
  static <T> T fromJson(JsonNode node, SdkBuilder<?, T> builder) {
    fill((SdkPojo) builder, node);
    return builder.build();
  }

  private static void fill(SdkPojo builder, JsonNode node) {
    for (SdkField<?> field : builder.sdkFields()) {
      JsonNode value = node.get(field.memberName());
      if (value != null && !value.isNull()) {
        field.set(builder, jsonToValue(field, value));
      }
    }
  }

  private static @Nullable Object jsonToValue(SdkField<?> field, JsonNode value) {
    MarshallingType<?> type = field.marshallingType();
    if (type.equals(MarshallingType.SDK_POJO)) {
      Supplier<SdkPojo> constructor = field.constructor();
      SdkPojo b = constructor.get();
      fill(b, value);
      return ((SdkBuilder<?, ?>) b).build();
    }
    if (type.equals(MarshallingType.LIST)) {
      SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
      List<@Nullable Object> list = new ArrayList<>();
      for (JsonNode item : value) {
        list.add(item.isNull() ? null : jsonToValue(member, item));
      }
      return list;
    }
    if (type.equals(MarshallingType.MAP)) {
      SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
      Map<String, @Nullable Object> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : value.properties()) {
        map.put(e.getKey(), e.getValue().isNull() ? null : jsonToValue(member, e.getValue()));
      }
      return map;
    }
    if (type.equals(MarshallingType.INSTANT)) {
      return Instant.parse(value.asText());
    }
    if (type.equals(MarshallingType.BOOLEAN)) {
      return value.asBoolean();
    }
    if (type.equals(MarshallingType.INTEGER)) {
      return value.asInt();
    }
    if (type.equals(MarshallingType.LONG)) {
      return value.asLong();
    }
    if (type.equals(MarshallingType.STRING)) {
      return value.asText();
    }
    return null;
  }
}
