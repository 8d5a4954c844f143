"""Word lists for bench/mirror_sparse.py: one vocabulary per variant (``s1`` tuning, ``s2`` held out).

Every name here is a generic first name in a kunya ("Abu Tariq") or is made up from ordinary Urdu
or Arabic words ("al-Chiraghi", "Lanterns of Sabr"); none is a real account, person or outlet.
The two variants share the phenomena (kunyas, transliterations, Arabic-script names, numbered
series, stock bios, announcement wording in four languages) but not the words.
"""
from __future__ import annotations

# given name -> (its transliteration variants, Arabic script)
GIVEN = {
    "Tariq": (["Tareq", "Tarik"], "طارق"), "Hamza": (["Hamzah", "Hamzeh"], "حمزة"),
    "Muhammad": (["Mohammed", "Muhammed"], "محمد"), "Bakr": (["Bakar"], "بكر"),
    "Yusuf": (["Yousef", "Yousuf"], "يوسف"), "Khalid": (["Khaled"], "خالد"),
    "Umar": (["Omar"], "عمر"), "Abdullah": (["Abdallah", "Abdulla"], "عبدالله"),
    "Zaid": (["Zayd", "Zeid"], "زيد"), "Hasan": (["Hassan"], "حسن"),
    "Uthman": (["Othman", "Osman"], "عثمان"), "Sulaiman": (["Suleiman", "Sulayman"], "سليمان"),
    "Ibrahim": (["Ibraheem"], "إبراهيم"), "Ali": (["Aly"], "علي"), "Salih": (["Saleh"], "صالح"),
    "Anas": (["Anass"], "أنس"), "Harith": (["Haris"], "حارث"), "Qasim": (["Qassim", "Kasim"], "قاسم"),
    "Bilal": (["Belal"], "بلال"), "Musab": (["Mosab", "Musaab"], "مصعب"), "Hudhayfa": (["Huzaifa", "Hudhaifa"], "حذيفة"),
    "Ubayda": (["Ubaidah", "Obaida"], "عبيدة"), "Usama": (["Osama", "Usamah"], "أسامة"),
    "Jarrah": (["Jarah"], "جراح"), "Muadh": (["Muaz", "Moaz"], "معاذ"), "Talha": (["Talhah"], "طلحة"),
}
PREFIX = {"Abu": (["Abou", "Abo"], "أبو"), "Ibn": (["Ebn"], "ابن"), "Umm": (["Um", "Oum"], "أم")}

VOCAB = {
    "s1": {
        "given": ["Tariq", "Hamza", "Yusuf", "Khalid", "Zaid", "Uthman", "Sulaiman", "Anas", "Qasim",
                  "Musab", "Hudhayfa", "Jarrah", "Talha"],
        # kunyas shared by many unrelated accounts (agreement on them is weak evidence)
        "common": ["Abu Muhammad", "Abu Bakr", "Abu Abdullah", "Abu Umar", "Baqiyah", "Muhajir",
                   "أبو محمد", "أبو بكر", "باقية"],
        "nisba": ["Chiraghi", "Manzili", "Karwani", "Dastaki", "Sahari", "Nidawi", "Rehbari", "Zia'i"],
        "media": ["Lanterns of Sabr", "Echo of Fajr", "Voice of Manzil", "Karwan Dispatch", "Nida Wire"],
        "regions": ["Wadi Sabr", "the northern valley", "Qaryat Noor", "the river towns", "Jabal Sahar"],
        "towns": ["Qaryat Noor", "Tell Sahar", "Ain Manzil", "Deir Karwan", "Wadi Sabr", "Kafr Nida"],
        "tags": ["Breaking", "Update", "News", "WadiSabr", "NorthernValley", "Report"],
        "stock_bios": ["Alhamdulillah", "Slave of Allah", "الحمد لله", "Muslim. Nothing more.",
                       "Ummah first", "لا حول ولا قوة إلا بالله"],
        "generic": ["Muhajir", "Ghareeb", "Abd", "user", "Akhi", "الغريب"],
        "announce": {
            "en": ["Back after suspension. Please spread.", "Please spread our new account, the old one @{old} was suspended",
                   "New account. Old one @{old} got suspended", "Bismillah. {display}",
                   "Aslm, please share our new account after the previous one was suspended",
                   "back again. old account gone, follow and share", "New account, old one @{old} was suspended. RT"],
            "ar": ["حساب جديد بعد الإيقاف", "حسابنا الجديد، الرجاء النشر. القديم @{old}", "عدنا بعد الحذف. {display}"],
            "ur": ["نیا اکاؤنٹ، پرانا @{old} معطل ہو گیا", "ہمارا نیا اکاؤنٹ، شیئر کریں"],
            "ps": ["نوی اکاؤنټ، زوړ @{old} بند شو", "زموږ نوی حساب، خپور یې کړئ"],
        },
        "shoutout": ["Follow our brother's new account @{new} (was @{old})", "@{new} is back, spread it",
                     "Brother {display} is back: @{new}"],
        "nouns": ["Olive", "Ink", "Quill", "Dune", "Lantern", "Cedar", "Falcon", "Amber", "Compass", "Saffron"],
        "bio_tail": ["English translations: https://example.org/t/{tok}", "News from {region}",
                     "Sharing what the media won't. {region}", "Translations and reports | {region}",
                     "{slogan} | no DMs", "Archive: https://example.org/a/{tok}"],
    },
    "s2": {
        "given": ["Muhammad", "Bakr", "Umar", "Abdullah", "Hasan", "Ibrahim", "Ali", "Salih", "Harith",
                  "Bilal", "Ubayda", "Usama", "Muadh"],
        "common": ["Abu Hasan", "Abu Ali", "Abu Ibrahim", "Ibn Umar", "Sabirun", "Ghuraba",
                   "أبو علي", "أبو حسن", "غرباء"],
        "nisba": ["Qalami", "Sitari", "Pahari", "Dariyai", "Chinari", "Bulbuli", "Mehtabi", "Shafaqi"],
        "media": ["Rivers of Qalam", "Gates of Sahar", "Pages of Sitara", "Chinar Bulletin", "Shafaq Relay"],
        "regions": ["the eastern plain", "Nahr Qalam", "the hill country", "Bab Sahar", "Sahil Sitara"],
        "towns": ["Bab Sahar", "Nahr Qalam", "Tell Chinar", "Ain Shafaq", "Qasr Pahar", "Sahil Sitara"],
        "tags": ["Urgent", "Flash", "EasternPlain", "Latest", "Dispatch", "Alert"],
        "stock_bios": ["SubhanAllah", "Servant of the Most Merciful", "سبحان الله", "Just a Muslim",
                       "Dunya is a prison", "حسبنا الله ونعم الوكيل"],
        "generic": ["Ghuraba", "Mujahir", "Talib", "anon", "Akh", "طالب"],
        "announce": {
            "en": ["I'm back. Old acc @{old} suspended", "This is my backup account, support with RT",
                   "Account {n}. They took down the last one", "New acc, plz RT. formerly @{old}",
                   "Returned by the grace of Allah. {display}", "they suspended @{old}, this is the new one"],
            "ar": ["الحساب البديل", "رجعنا بفضل الله، القديم @{old}", "هذا حسابي الجديد {display}"],
            "ur": ["بیک اپ اکاؤنٹ، پرانا @{old}", "دوبارہ حاضر ہیں، شیئر کریں", "نیا اکاؤنٹ {display}"],
            "ps": ["بیرته راغلو، زوړ حساب @{old}", "دا زموږ نوی اکاونټ دی"],
        },
        "shoutout": ["Support the new account of our akh @{new}, old @{old}", "{display} returned: @{new}",
                     "RT and follow @{new}"],
        "nouns": ["Pebble", "Loom", "Harbor", "Thistle", "Kestrel", "Cobalt", "Meadow", "Anvil", "Juniper", "Tamarind"],
        "bio_tail": ["Daily translations https://example.org/d/{tok}", "Reports from {region}",
                     "{region} | what they hide", "{slogan} | backup at https://example.org/b/{tok}",
                     "Relaying news of {region}", "Files: https://example.org/f/{tok}"],
    },
}

# ordinary posts, shared by both variants; {town} {tag} {link} {n} filled in
NEWS = ["#{tag} clashes reported near {town} this morning {link}", "#{tag}\nConvoy seen on the road to {town}",
        "{n} killed in shelling of {town}, sources say {link}", "Update: the market in {town} reopened today",
        "#{tag} #{tag2} Power cut across {town} for the third day", "Photos from {town} {link}",
        "ESCALATION:\n\nHeavy fire heard around {town} right now", "Reports: checkpoint near {town} removed {link}"]
CHATTER = ["Is this a joke or what", "lol no one believes that", "may Allah make it easy", "exactly this",
           "source?", "they will delete it again", "Stop spreading lies", "😂 {link}", "well said akhi",
           "الحمد لله", "الله أكبر {link}", "سبحان الله", "صبر", "انشاء الله خیر", "ښه ده وروره"]
QUOTES = ["1/3. Patience is light, and the patient are not forgotten...", "2/3. Whoever is grateful, more is given...",
          "A reminder: speak good or stay silent.", "The night is longest before the dawn.",
          "Knowledge before speech and action."]
MONITOR = ["Another account suspended today: @{old} #OSINT", "Supporters claim \"back after suspension\" again {link}",
           "Archived for research: \"please spread our new account\" - seen again today", "RT ≠ endorsement. Thread on takedowns {link}",
           "New accounts keep appearing after each wave of suspensions. Data: {link}",
           "Quote from @{old}: \"{text}\" (archived)", "Network of {n} accounts reported this week {link}"]
NEWSDESK = ["#Breaking Reports from {town}: {n} dead {link}", "Our correspondent in {town}: situation calm {link}",
            "Accounts linked to the group say \"new account\" after every ban {link}", "Live: {town} {link}",
            "Analysis: why suspended accounts return within days {link}"]
FAN = ["Love this page ❤ @{target}", "Follow @{target}!!", "@{target} best updates, keep going", "RT @{target}: {text}"]
EMOJI = ["✌", "🌙", "🕊", "⚔", "📌", "☝"]
