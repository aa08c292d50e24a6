package io.apiops.user;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.CONSTRUCTOR;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.Optional;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A username reads the same wherever it is shown: letters of any script, digits, marks, punctuation and symbols, and
 * the plain space inside, but nothing invisible and no white space at either end. Usernames are compared exactly, so
 * {@code admin} followed by a zero-width space would otherwise be a different account that looks like {@code admin}.
 * A username is also a path segment ({@code /apiops/users/{username}}), so one made of dots only is refused: {@code .}
 * and {@code ..} would name the collection or its parent wherever a client builds the path.
 */
@Documented
@Constraint(validatedBy = ValidUsername.Check.class)
@Target({ METHOD, FIELD, ANNOTATION_TYPE, CONSTRUCTOR, PARAMETER, TYPE_USE })
@Retention(RUNTIME)
public @interface ValidUsername {

    String message() default "is not a valid username";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Applies the rule of {@link ValidUsername}. */
    final class Check implements ConstraintValidator<ValidUsername, String> {

        @Override
        public boolean isValid(String username, ConstraintValidatorContext context) {
            Optional<String> problem = problem(username);
            if (problem.isEmpty()) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(problem.get()).addConstraintViolation();
            return false;
        }

        /** What is wrong with {@code username}, as a message for the client; empty for null and valid names. */
        public static Optional<String> problem(String username) {
            if (username != null && !username.isEmpty() && username.chars().allMatch(c -> c == '.')) {
                return Optional.of("must not be made of dots only");
            }
            return labelProblem(username);
        }

        /**
         * What is wrong with a name that people read in lists (a username, a token's name), as a message for the
         * client: white space at either end, white space other than the plain space, or anything invisible. Empty for
         * null and valid names.
         */
        public static Optional<String> labelProblem(String label) {
            if (label == null || label.isEmpty()) {
                return Optional.empty();
            }
            if (isWhiteSpace(label.codePointAt(0)) || isWhiteSpace(label.codePointBefore(label.length()))) {
                return Optional.of("must not start or end with white space");
            }
            for (int i = 0; i < label.length();) {
                int c = label.codePointAt(i);
                if (isInvisible(c)) {
                    return Optional.of(String.format(
                            "must not contain control, format or invisible characters (found U+%04X)", c));
                }
                if (isWhiteSpace(c) && c != ' ') {
                    return Optional.of(String.format(
                            "must not contain white space other than the plain space (found U+%04X)", c));
                }
                i += Character.charCount(c);
            }
            return Optional.empty();
        }

        private static boolean isWhiteSpace(int c) {
            return Character.isWhitespace(c) || Character.isSpaceChar(c);
        }

        /**
         * Category C (controls, format characters such as bidirectional overrides, zero-width characters and tags,
         * unpaired surrogates, private use, unassigned), line and paragraph separators, and the characters Unicode
         * marks default-ignorable or that render as blank although they are letters, marks or symbols.
         */
        static boolean isInvisible(int c) {
            switch (Character.getType(c)) {
                case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                        Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR:
                    return true;
                default:
                    break;
            }
            return c == 0x034F // combining grapheme joiner
                    || c == 0x115F || c == 0x1160 // Hangul choseong and jungseong fillers
                    || c == 0x17B4 || c == 0x17B5 // Khmer inherent vowels
                    || c >= 0x180B && c <= 0x180F // Mongolian free variation selectors and vowel separator
                    || c == 0x2800 // Braille pattern blank: a symbol that renders as a space
                    || c == 0x3164 // Hangul filler
                    || c >= 0xFE00 && c <= 0xFE0F // variation selectors
                    || c == 0xFFA0 // halfwidth Hangul filler
                    || c >= 0xE0100 && c <= 0xE01EF; // variation selectors supplement
        }
    }
}
