// Parse iCalendar files with ical.js and print their events as JSON (used by tests/test_feeds.py).
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const result = {};
for (const path of process.argv.slice(2)) {
  const root = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  result[path] = {
    name: root.getFirstPropertyValue("x-wr-calname"),
    events: root.getAllSubcomponents("vevent").map((component) => {
      const event = new ICAL.Event(component);
      return {
        uid: event.uid,
        summary: event.summary,
        start: event.startDate.toString(),
        end: event.endDate.toString(),
        allDay: event.startDate.isDate && event.endDate.isDate,
        sequence: event.sequence,
        alarms: component.getAllSubcomponents("valarm").map((alarm) => ({
          action: alarm.getFirstPropertyValue("action"),
          trigger: alarm.getFirstPropertyValue("trigger").toString(),
        })),
      };
    }),
  };
}
process.stdout.write(JSON.stringify(result));
