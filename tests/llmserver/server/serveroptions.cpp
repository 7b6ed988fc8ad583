#include "serveroptions.h"

#include <QCommandLineParser>
#include <QFile>

namespace rs::llmserver {

namespace {

std::optional<int> nonNegativeInt(const QString &text) {
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < 0)
        return std::nullopt;
    return value;
}

bool loadScript(const QString &path, QList<FaultKind> *script, QString *error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = QStringLiteral("cannot read --script %1: %2").arg(path, file.errorString());
        return false;
    }
    int lineNo = 0;
    while (!file.atEnd()) {
        ++lineNo;
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const auto kind = parseFault(line);
        if (!kind) {
            *error = QStringLiteral("--script %1 line %2: unknown fault \"%3\"")
                         .arg(path)
                         .arg(lineNo)
                         .arg(line);
            return false;
        }
        script->append(*kind);
    }
    return true;
}

} // namespace

std::optional<ServerOptions> ServerOptions::parse(const QStringList &args, QString *error,
                                                  QString *helpText) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Deterministic OpenAI/Anthropic test double for Rubric Studio (see README.md)."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    const QCommandLineOption port(QStringLiteral("port"),
                                  QStringLiteral("TCP port on 127.0.0.1; 0 lets the OS choose."),
                                  QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption host(QStringLiteral("host"),
                                  QStringLiteral("Only 127.0.0.1 is accepted."),
                                  QStringLiteral("ADDR"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption latency(QStringLiteral("latency-ms"),
                                     QStringLiteral("Delay before each model answer."),
                                     QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption rate(QStringLiteral("fault-rate"),
                                  QStringLiteral("Probability 0..1 that a request gets a fault."),
                                  QStringLiteral("R"), QStringLiteral("0"));
    const QCommandLineOption faults(
        QStringLiteral("faults"),
        QStringLiteral("Comma-separated kinds drawn uniformly: 429,500,503,stall,reset,"
                       "malformed,truncated,fenced (default: all)."),
        QStringLiteral("LIST"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Seed of the fault generator."),
                                  QStringLiteral("S"), QStringLiteral("1"));
    const QCommandLineOption retryAfter(QStringLiteral("retry-after"),
                                        QStringLiteral("Retry-After seconds sent with 429."),
                                        QStringLiteral("SECONDS"), QStringLiteral("1"));
    const QCommandLineOption stall(QStringLiteral("stall-ms"),
                                   QStringLiteral("How long a stalled request holds its "
                                                  "connection before it is closed."),
                                   QStringLiteral("N"), QStringLiteral("60000"));
    const QCommandLineOption script(QStringLiteral("script"),
                                    QStringLiteral("File of fault kinds or \"ok\", one per line, "
                                                   "used by requests in arrival order."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption verbose(QStringLiteral("verbose"),
                                     QStringLiteral("Log requests to stderr (no headers)."));
    const QCommandLineOption batchOpenAi(QStringLiteral("batch-openai"),
                                         QStringLiteral("Convert an OpenAI Batch input file."),
                                         QStringLiteral("IN.jsonl"));
    const QCommandLineOption batchAnthropic(
        QStringLiteral("batch-anthropic"),
        QStringLiteral("Convert an Anthropic Message Batch input file."),
        QStringLiteral("IN.jsonl"));
    const QCommandLineOption out(QStringLiteral("out"),
                                 QStringLiteral("Output file of a batch conversion."),
                                 QStringLiteral("OUT.jsonl"));
    const QCommandLineOption profile(
        QStringLiteral("profile"),
        QStringLiteral("lenient (default), openai, anthropic, vllm or llamacpp: which real API's "
                       "parameter rules to enforce."),
        QStringLiteral("NAME"), QStringLiteral("lenient"));
    const QCommandLineOption refuse(QStringLiteral("refuse"),
                                    QStringLiteral("Every K-th answer is a refusal (0: never)."),
                                    QStringLiteral("K"), QStringLiteral("0"));
    const QCommandLineOption obey(QStringLiteral("obey-injections"),
                                  QStringLiteral("The judge obeys instructions found outside the "
                                                 "PROMPT/RESPONSE fences."));
    const QCommandLineOption context(QStringLiteral("context-tokens"),
                                     QStringLiteral("vllm/llamacpp context limit in tokens."),
                                     QStringLiteral("N"), QStringLiteral("8192"));
    parser.addOptions({help, port, host, latency, rate, faults, seed, retryAfter, stall, script,
                       verbose, batchOpenAi, batchAnthropic, out, profile, refuse, obey, context});

    if (!parser.parse(args)) {
        *error = parser.errorText();
        return std::nullopt;
    }
    if (parser.isSet(help)) {
        error->clear();
        *helpText = parser.helpText();
        return std::nullopt;
    }
    if (!parser.positionalArguments().isEmpty()) {
        *error =
            QStringLiteral("unexpected argument: %1").arg(parser.positionalArguments().first());
        return std::nullopt;
    }

    ServerOptions o;
    const auto intOption = [&](const QCommandLineOption &opt, int *target) {
        const auto value = nonNegativeInt(parser.value(opt));
        if (!value) {
            *error = QStringLiteral("--%1 needs a non-negative integer, got \"%2\"")
                         .arg(opt.names().constFirst(), parser.value(opt));
            return false;
        }
        *target = *value;
        return true;
    };
    int portValue = 0;
    if (!intOption(port, &portValue) || !intOption(latency, &o.latencyMs) ||
        !intOption(retryAfter, &o.retryAfterSeconds) || !intOption(stall, &o.stallMs) ||
        !intOption(refuse, &o.refuseEvery) || !intOption(context, &o.contextTokens))
        return std::nullopt;
    const auto profileValue = parseProfile(parser.value(profile));
    if (!profileValue) {
        *error = QStringLiteral("--profile must be lenient, openai, anthropic, vllm or llamacpp");
        return std::nullopt;
    }
    o.profile = *profileValue;
    o.obeyInjections = parser.isSet(obey);
    if (portValue > 65535) {
        *error = QStringLiteral("--port must be at most 65535");
        return std::nullopt;
    }
    o.port = quint16(portValue);

    const QString hostValue = parser.value(host);
    if (hostValue != QLatin1String("127.0.0.1") && hostValue != QLatin1String("localhost")) {
        *error = QStringLiteral("--host: only 127.0.0.1 is supported (a test double must not "
                                "listen on other interfaces)");
        return std::nullopt;
    }

    bool ok = false;
    o.faultRate = parser.value(rate).toDouble(&ok);
    if (!ok || o.faultRate < 0.0 || o.faultRate > 1.0) {
        *error = QStringLiteral("--fault-rate must be a number in 0..1");
        return std::nullopt;
    }
    o.seed = parser.value(seed).toULongLong(&ok);
    if (!ok) {
        *error = QStringLiteral("--seed must be a non-negative integer");
        return std::nullopt;
    }
    if (parser.isSet(faults)) {
        o.faults.clear();
        const QStringList names = parser.value(faults).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &name : names) {
            const auto kind = parseFault(name);
            if (!kind || *kind == FaultKind::None) {
                *error = QStringLiteral("--faults: unknown fault \"%1\"").arg(name.trimmed());
                return std::nullopt;
            }
            o.faults.append(*kind);
        }
        if (o.faults.isEmpty()) {
            *error = QStringLiteral("--faults: the list is empty");
            return std::nullopt;
        }
    }
    if (parser.isSet(script) && !loadScript(parser.value(script), &o.script, error))
        return std::nullopt;

    o.verbose = parser.isSet(verbose);
    o.batchOpenAiIn = parser.value(batchOpenAi);
    o.batchAnthropicIn = parser.value(batchAnthropic);
    o.batchOut = parser.value(out);
    if (!o.batchOpenAiIn.isEmpty() && !o.batchAnthropicIn.isEmpty()) {
        *error = QStringLiteral("--batch-openai and --batch-anthropic are exclusive");
        return std::nullopt;
    }
    if (o.isBatch() && o.batchOut.isEmpty()) {
        *error = QStringLiteral("a batch conversion needs --out OUT.jsonl");
        return std::nullopt;
    }
    return o;
}

} // namespace rs::llmserver
