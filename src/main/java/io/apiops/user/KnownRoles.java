package io.apiops.user;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.List;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A list of role names from the catalogue ({@link Roles}), each at most once. Null (the field left out) is valid.
 * The message names the catalogue's roles, whatever they are configured to be.
 */
@Documented
@Constraint(validatedBy = KnownRoles.Check.class)
@Target({ METHOD, FIELD, PARAMETER, RECORD_COMPONENT })
@Retention(RUNTIME)
public @interface KnownRoles {

    String message() default "must be roles of the catalogue";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Applies the rule of {@link KnownRoles}. */
    final class Check implements ConstraintValidator<KnownRoles, List<String>> {

        private static final int MAX_ENTRIES = 64;

        /** Looked up at the first validation: the validator is made before the configuration is read. */
        @Inject
        Instance<Roles> catalogue;

        @Override
        public boolean isValid(List<String> value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            Roles roles = catalogue.get();
            String problem = null;
            if (value.size() > MAX_ENTRIES) {
                problem = "must name at most " + MAX_ENTRIES + " roles";
            } else if (!value.stream().allMatch(roles::contains)) {
                problem = roles.mustBeOneOf();
            }
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(escape(problem)).addConstraintViolation();
            return false;
        }

        /** The message is literal text, not an expression template. */
        private static String escape(String message) {
            return message.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
        }
    }
}
