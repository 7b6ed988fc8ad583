#pragma once

#include <QString>
#include <QtGlobal>

#include <cstdlib>

#include <utility>
#include <variant>

namespace rs {

/// An error as a value: what went wrong, and where in an input file when it came from one.
/// Core never throws across its API and never shows a dialog; callers decide how to present it.
struct Error final {
    QString message;
    QString file;   ///< input file the error is about, empty when none
    qint64 line = 0; ///< 1-based line in `file`, 0 when unknown

    /// "FILE:LINE: message", "FILE: message" or "message": the form a user can jump to.
    QString toString() const
    {
        if (file.isEmpty())
            return message;
        if (line > 0)
            return file + QLatin1Char(':') + QString::number(line) + QStringLiteral(": ") + message;
        return file + QStringLiteral(": ") + message;
    }
};

/// Minimal std::expected stand-in (g++ 12 ships <expected> only in C++23 mode).
template <typename T>
class [[nodiscard]] Expected final {
public:
    Expected(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Expected(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    // Reading the value of an error is a programming error. It must not throw: on a worker
    // thread std::bad_variant_access would end the process with no word of what failed, so it
    // stops here with the error's text instead. Check ok() (or use Statement::forEach) first.
    T &value() & { return *get(); }
    T &&value() && { return std::move(*get()); }
    const T &value() const & { return *get(); }
    T *operator->() { return get(); }
    const T *operator->() const { return get(); }
    T &operator*() & { return *get(); }
    const Error &error() const
    {
        static const Error none;
        const Error *e = std::get_if<1>(&m_v);
        return e ? *e : none;
    }

private:
    T *get()
    {
        if (T *v = std::get_if<0>(&m_v))
            return v;
        qFatal("Expected::value() on an error: %s", qPrintable(std::get_if<1>(&m_v)->toString()));
        std::abort(); // qFatal does not return; this says so to the compiler
    }
    const T *get() const { return const_cast<Expected *>(this)->get(); }

    std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Expected<void> final {
public:
    Expected() = default;
    Expected(Error error) : m_error(std::move(error)), m_ok(false) {}

    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const Error &error() const { return m_error; }

private:
    Error m_error;
    bool m_ok = true;
};

inline Error makeError(QString message, QString file = {}, qint64 line = 0)
{
    return Error{std::move(message), std::move(file), line};
}

} // namespace rs
