package io.apiops.config;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * A JSON body that names a field twice is refused rather than read by its last occurrence: a proxy or log that reads
 * the first one would otherwise see a different request ({@code "roleNameList":[...],"roleNameList":null}). A value of
 * the wrong type is refused too, instead of being converted: {@code "enabled":0} does not disable a user, nor does
 * {@code "enabled":"false"}, {@code "name":123} is not the name {@code "123"}, and an expiry is ISO-8601 text, never
 * a number that the JDK's time types would read as seconds or milliseconds since 1970.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** Last, after the framework has registered its modules, so that the strict time reader takes precedence. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // The time types' own deserializers do not ask the coercion settings, so the text is required here.
        mapper.registerModule(new SimpleModule("strict-time").addDeserializer(OffsetDateTime.class, new IsoText()));
    }

    /**
     * An {@link OffsetDateTime} only from JSON text in ISO-8601 with an offset; the time module would also read digits
     * in a string ({@code "1800000000"}) as seconds since 1970, and an empty string as null.
     */
    static final class IsoText extends StdDeserializer<OffsetDateTime> {

        private static final long serialVersionUID = 1L;

        IsoText() {
            super(OffsetDateTime.class);
        }

        @Override
        public OffsetDateTime deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (OffsetDateTime) context.handleUnexpectedToken(OffsetDateTime.class, parser);
            }
            String text = parser.getText();
            try {
                return OffsetDateTime.parse(text);
            } catch (DateTimeParseException e) {
                return (OffsetDateTime) context.handleWeirdStringValue(OffsetDateTime.class, text,
                        "is not an ISO-8601 date and time with an offset");
            }
        }
    }
}
