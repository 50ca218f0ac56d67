"""Edit a .docx in a running LibreOffice through UNO, as a co-reader would, and save it.

Run with Debian's /usr/bin/python3 (python3-uno), not the test interpreter:

    /usr/bin/python3 tests/lo_edit.py PORT IN.docx OUT.docx '[{"find": "a", "replace": "b"}]'

Each edit: {"find", "replace"} replaces the first occurrence (change recording
on unless "track": false); {"stance_row": N, "text": "kritisch"} types over the
stance cell of data row N of the last table; {"find", "footnote"} inserts a footnote
with that text after the words found; {"find", "new_paragraph"} presses Enter after
them and types the text. The result is saved with the
"MS Word 2007 XML" filter.
"""

import json
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(port, source, target, edits_json):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
    for _ in range(150):
        try:
            ctx = resolver.resolve(url)
            break
        except Exception:
            time.sleep(0.2)
    else:
        raise SystemExit("LibreOffice did not answer")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),)
    )
    try:
        for edit in json.loads(edits_json):
            doc.RecordChanges = edit.get("track", True)
            if "stance_row" in edit:
                tables = doc.getTextTables()
                table = tables.getByIndex(tables.getCount() - 1)
                table.getCellByName(f"B{edit['stance_row'] + 1}").setString(edit["text"])
                continue
            search = doc.createSearchDescriptor()
            search.SearchString = edit["find"]
            found = doc.findFirst(search)
            if found is None:
                raise SystemExit(f"not found: {edit['find']!r}")
            if "new_paragraph" in edit:  # Enter after the words found, then type
                text = found.getText()
                cursor = text.createTextCursorByRange(found.getEnd())
                text.insertControlCharacter(cursor, 0, False)  # PARAGRAPH_BREAK
                text.insertString(cursor, edit["new_paragraph"], False)
                continue
            if "footnote" in edit:  # Insert > Footnote after the words found
                text = found.getText()
                cursor = text.createTextCursorByRange(found.getEnd())
                note = doc.createInstance("com.sun.star.text.Footnote")
                text.insertTextContent(cursor, note, False)
                note.setString(edit["footnote"])
                continue
            found.setString(edit["replace"])
        doc.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "MS Word 2007 XML"),))
    finally:
        doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:5])
