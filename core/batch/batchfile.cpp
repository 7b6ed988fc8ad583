#include "batchfile.h"
#include "common/boundedjson.h"

#include "llm/wireprotocol.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace rs::batch {

QString formatName(BatchFormat format)
{
    return format == BatchFormat::OpenAi ? QStringLiteral("openai") : QStringLiteral("anthropic");
}

std::optional<BatchFormat> formatFromName(const QString &name)
{
    if (name == QLatin1String("openai"))
        return BatchFormat::OpenAi;
    if (name == QLatin1String("anthropic"))
        return BatchFormat::Anthropic;
    return std::nullopt;
}

BatchLimits BatchLimits::forFormat(BatchFormat format)
{
    if (format == BatchFormat::OpenAi)
        return {50000, qint64(200) * 1024 * 1024};
    return {100000, qint64(256) * 1024 * 1024};
}

Expected<QStringList> writeBatchFiles(const llm::ProviderConfig &provider, BatchFormat format,
                                      const std::vector<BatchItem> &items, const QString &dir,
                                      const QString &prefix, const BatchLimits &limits,
                                      std::vector<int> *fileOfItem)
{
    if (!QDir().mkpath(dir))
        return makeError(QStringLiteral("cannot create the folder"), dir);
    QStringList files;
    std::optional<QSaveFile> file;
    qint64 count = 0, bytes = 0;
    auto close = [&]() -> Expected<void> {
        if (file && !file->commit())
            return makeError(QStringLiteral("cannot write: %1").arg(file->errorString()), file->fileName());
        file.reset();
        return {};
    };
    if (fileOfItem)
        fileOfItem->assign(items.size(), 0);
    for (size_t i = 0; i < items.size(); ++i) {
        const BatchItem &item = items[i];
        json body = json::parse(llm::wire::build(provider, item.request, QString()).body);
        json line;
        if (format == BatchFormat::OpenAi)
            line = json{{"custom_id", item.customId.toStdString()},
                        {"method", "POST"},
                        {"url", "/v1/chat/completions"},
                        {"body", std::move(body)}};
        else
            line = json{{"custom_id", item.customId.toStdString()}, {"params", std::move(body)}};
        const QByteArray text = QByteArray::fromStdString(line.dump()) + '\n';
        if (text.size() > limits.maxBytes)
            return makeError(QStringLiteral("request %1 alone is larger than the provider's batch file limit")
                                 .arg(item.customId));
        if (!file || count >= limits.maxRequests || bytes + text.size() > limits.maxBytes) {
            if (auto c = close(); !c)
                return c.error();
            const QString name = QStringLiteral("%1-%2.jsonl").arg(prefix).arg(files.size() + 1, 3, 10, QLatin1Char('0'));
            file.emplace(QDir(dir).filePath(name));
            if (!file->open(QIODevice::WriteOnly))
                return makeError(QStringLiteral("cannot write: %1").arg(file->errorString()), file->fileName());
            files << QFileInfo(file->fileName()).absoluteFilePath(); // recorded: must not depend on the cwd
            count = 0;
            bytes = 0;
        }
        if (file->write(text) != text.size())
            return makeError(QStringLiteral("cannot write: %1").arg(file->errorString()), file->fileName());
        ++count;
        bytes += text.size();
        if (fileOfItem)
            (*fileOfItem)[i] = int(files.size() - 1);
    }
    if (auto c = close(); !c)
        return c.error();
    return files;
}

namespace {

void decodeInto(BatchAnswer &a, llm::ProviderKind kind, const json &message)
{
    auto d = llm::wire::decode(kind, message.dump());
    if (!d) {
        a.error = d.error().message;
        return;
    }
    a.ok = true;
    a.text = d->text;
    a.tokensIn = d->tokensIn;
    a.tokensOut = d->tokensOut;
}

QString errorText(const json &e)
{
    if (e.is_object()) {
        if (auto m = e.find("message"); m != e.end() && m->is_string())
            return QString::fromStdString(m->get<std::string>());
        if (auto inner = e.find("error"); inner != e.end())
            return errorText(*inner);
    }
    return QString::fromStdString(e.dump());
}

} // namespace

Expected<std::vector<BatchAnswer>> readBatchOutput(const QString &file, QStringList *problems)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("cannot read: %1").arg(f.errorString()), file);
    std::vector<BatchAnswer> out;
    qint64 lineNo = 0;
    auto problem = [&](const QString &why) {
        if (problems)
            problems->push_back(Error{why, file, lineNo}.toString());
    };
    while (!f.atEnd()) {
        const QByteArray line = f.readLine();
        ++lineNo;
        if (line.trimmed().isEmpty())
            continue;
        json j = parseBoundedJson(std::string_view(line.constData(), size_t(line.size())));
        if (j.is_discarded() || !j.is_object()) {
            problem(QStringLiteral("not a complete JSON record (truncated file?); skipped"));
            continue;
        }
        auto id = j.find("custom_id");
        if (id == j.end() || !id->is_string()) {
            problem(QStringLiteral("no custom_id; skipped"));
            continue;
        }
        BatchAnswer a;
        a.customId = QString::fromStdString(id->get<std::string>());
        a.line = lineNo;
        if (auto result = j.find("result"); result != j.end() && result->is_object()) {
            // Anthropic: {custom_id, result: {type: succeeded|errored|canceled|expired, message|error}}
            const std::string type = result->value("type", std::string());
            if (type == "succeeded" && result->contains("message"))
                decodeInto(a, llm::ProviderKind::Anthropic, (*result)["message"]);
            else
                a.error = type == "errored" && result->contains("error")
                              ? errorText((*result)["error"])
                              : QStringLiteral("request %1").arg(QString::fromStdString(type));
        } else if (auto response = j.find("response"); response != j.end() && response->is_object()) {
            // OpenAI: {custom_id, response: {status_code, body}, error}
            const int status = response->value("status_code", 0);
            if (status == 200 && response->contains("body"))
                decodeInto(a, llm::ProviderKind::OpenAiCompatible, (*response)["body"]);
            else
                a.error = QStringLiteral("HTTP %1: %2")
                              .arg(status)
                              .arg(response->contains("body") ? errorText((*response)["body"]) : QString());
        } else if (auto e = j.find("error"); e != j.end() && !e->is_null()) {
            a.error = errorText(*e);
        } else {
            problem(QStringLiteral("neither an OpenAI nor an Anthropic batch result; skipped"));
            continue;
        }
        out.push_back(std::move(a));
    }
    return out;
}

} // namespace rs::batch
