#pragma once

namespace rs {

/// Deepest nesting of arrays and objects accepted from outside (files, providers, trainers).
/// Parsing itself is iterative, but dump() and our own walks recurse: a line of 30,000 '['
/// overflows the stack there (found by fuzz_batchoutput). No real record comes near 256.
inline constexpr int kMaxJsonDepth = 256;

/// Follows JSON text byte by byte — inside a string or not, how deep in arrays and objects —
/// without validating it. The one lexer shared by the scanners that must find a value's end
/// before parsing it (record splitting, answer extraction, the nesting limit).
struct JsonNesting {
    int depth = 0;
    bool inString = false;
    bool escape = false;

    /// Takes the next byte: +1 when it opens an array or object, -1 when it closes one, 0 for
    /// anything else (string contents and quotes included).
    int feed(char c)
    {
        if (inString) {
            if (escape)
                escape = false;
            else if (c == '\\')
                escape = true;
            else if (c == '"')
                inString = false;
            return 0;
        }
        switch (c) {
        case '"': inString = true; return 0;
        case '[':
        case '{': ++depth; return 1;
        case ']':
        case '}': --depth; return -1;
        default: return 0;
        }
    }
};

} // namespace rs
