<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="ar" sourcelanguage="en">
<context>
    <name>BeneficiariesPage</name>
    <message>
        <source>Search by name, national ID or mobile</source>
        <translation>ابحث بالاسم أو رقم الهوية أو الجوال</translation>
    </message>
    <message>
        <source>Search beneficiaries</source>
        <translation>البحث في المستفيدين</translation>
    </message>
    <message>
        <source>Registration status</source>
        <translation>حالة التسجيل</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>كل الحالات</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>الفئة</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>كل الفئات</translation>
    </message>
    <message>
        <source>New beneficiary</source>
        <translation>مستفيد جديد</translation>
    </message>
    <message>
        <source>Open a file for a new person (Ctrl+N)</source>
        <translation>فتح ملف لشخص جديد (Ctrl+N)</translation>
    </message>
    <message>
        <source>Beneficiaries</source>
        <translation>المستفيدون</translation>
    </message>
    <message>
        <source>Loading the beneficiaries…</source>
        <translation>جارٍ تحميل المستفيدين…</translation>
    </message>
    <message>
        <source>More than {count} match; type more to narrow the list.</source>
        <translation>يطابق البحثَ أكثر من {count}؛ اكتب المزيد لتضييق القائمة.</translation>
    </message>
    <message>
        <source>Matches: {count}</source>
        <translation>النتائج المطابقة: {count}</translation>
    </message>
    <message>
        <source>Files: {count}</source>
        <translation>عدد الملفات: {count}</translation>
    </message>
    <message>
        <source>No one matches “{query}”. Check the spelling, type fewer letters, or search by national ID or mobile.</source>
        <translation>لا يوجد أحد يطابق «{query}». تحقّق من الإملاء، أو اكتب أحرفًا أقل، أو ابحث برقم الهوية أو الجوال.</translation>
    </message>
    <message>
        <source>No files match these filters.</source>
        <translation>لا توجد ملفات تطابق عوامل التصفية هذه.</translation>
    </message>
    <message>
        <source>No beneficiaries are registered yet.</source>
        <translation>لا يوجد مستفيدون مسجَّلون بعد.</translation>
    </message>
</context>
<context>
    <name>BeneficiaryListModel</name>
    <message>
        <source>Loading…</source>
        <translation>جارٍ التحميل…</translation>
    </message>
    <message>
        <source>This file is no longer available</source>
        <translation>هذا الملف لم يعد متاحًا</translation>
    </message>
    <message>
        <source>File number</source>
        <translation>رقم الملف</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>رقم الهوية</translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation>الجوال</translation>
    </message>
    <message>
        <source>City</source>
        <translation>المدينة</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>الفئات</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <source>Log a contact</source>
        <translation>تسجيل تواصل</translation>
    </message>
    <message>
        <source>A registered person</source>
        <translation>مستفيد مسجّل</translation>
    </message>
    <message>
        <source>Someone not yet registered (an inquiry)</source>
        <translation>شخص غير مسجّل بعد (استفسار)</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>قناة التواصل</translation>
    </message>
    <message>
        <source>With</source>
        <translation>مع</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>المستفيد</translation>
    </message>
    <message>
        <source>Inquirer's name</source>
        <translation>اسم المستفسر</translation>
    </message>
    <message>
        <source>Inquirer's mobile</source>
        <translation>جوال المستفسر</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>الموضوع</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>ملاحظات</translation>
    </message>
    <message>
        <source>Letter reference number</source>
        <translation>رقم قيد الخطاب</translation>
    </message>
    <message>
        <source>Letter date</source>
        <translation>تاريخ الخطاب</translation>
    </message>
    <message>
        <source>Follow up on</source>
        <translation>موعد المتابعة</translation>
    </message>
    <message>
        <source>Chosen: {person}</source>
        <translation>المختار: {person}</translation>
    </message>
    <message>
        <source>Search for the person and choose them from the list, or choose “Someone not yet registered”.</source>
        <translation>ابحث عن المستفيد واختره من القائمة، أو اختر «شخص غير مسجّل بعد».</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>جارٍ الحفظ…</translation>
    </message>
</context>
<context>
    <name>ContactsModel</name>
    <message>
        <source>When</source>
        <translation>التاريخ</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>قناة التواصل</translation>
    </message>
    <message>
        <source>With</source>
        <translation>مع</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>الموضوع</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>الخطاب</translation>
    </message>
    <message>
        <source>Follow up on</source>
        <translation>موعد المتابعة</translation>
    </message>
    <message>
        <source>{name} (inquiry)</source>
        <translation>{name} (استفسار)</translation>
    </message>
    <message>
        <source>{when}, handled by {name}</source>
        <translation>{when}، سجّله {name}</translation>
    </message>
</context>
<context>
    <name>ContactsPage</name>
    <message>
        <source>All channels</source>
        <translation>جميع القنوات</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>أي وقت</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>اليوم</translation>
    </message>
    <message>
        <source>The last 7 days</source>
        <translation>آخر 7 أيام</translation>
    </message>
    <message>
        <source>The last 30 days</source>
        <translation>آخر 30 يومًا</translation>
    </message>
    <message>
        <source>Log contact</source>
        <translation>تسجيل تواصل</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>قناة التواصل</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>الفترة</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>التواصل</translation>
    </message>
    <message>
        <source>Your role does not log contacts.</source>
        <translation>دورك لا يتيح تسجيل التواصل.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>جارٍ التحميل…</translation>
    </message>
    <message>
        <source>No contacts match.</source>
        <translation>لا توجد عمليات تواصل مطابقة.</translation>
    </message>
    <message>
        <source>Contacts shown: {count} (scroll down for more).</source>
        <translation>عمليات التواصل المعروضة: {count} (مرّر للأسفل لعرض المزيد).</translation>
    </message>
    <message>
        <source>Contacts: {count}.</source>
        <translation>عدد عمليات التواصل: {count}.</translation>
    </message>
</context>
<context>
    <name>DeclarePage</name>
    <message>
        <source>Read the declaration and the data to the person. They confirm the data is correct and sign in the box; the signed declaration can never be changed.</source>
        <translation>اقرأ الإقرار والبيانات على المستفيد، فيؤكد صحة البيانات ويوقّع في المربع. لا يمكن تعديل الإقرار بعد توقيعه.</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>الحقل</translation>
    </message>
    <message>
        <source>Declared value</source>
        <translation>القيمة المُقَرّ بها</translation>
    </message>
    <message>
        <source>&amp;Clear the signature</source>
        <translation>امسح التوقيع (&amp;C)</translation>
    </message>
    <message>
        <source>Signed on &amp;paper instead</source>
        <translation>وُقّع على الورق بدلًا من ذلك (&amp;P)</translation>
    </message>
    <message>
        <source>Declaration &amp;language</source>
        <translation>لغة الإقرار (&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Signed by</source>
        <translation>الموقّع (&amp;S)</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>التوقيع</translation>
    </message>
    <message>
        <source>The declaration is still loading…</source>
        <translation>ما زال الإقرار قيد التحميل…</translation>
    </message>
    <message>
        <source>The person signs in the box, or tick “Signed on paper instead”.</source>
        <translation>يوقّع المستفيد في المربع، أو اختر «وُقّع على الورق بدلًا من ذلك».</translation>
    </message>
    <message>
        <source>Signed. The declaration's fingerprint (SHA-256) is {sha}.</source>
        <translation>تم التوقيع. بصمة الإقرار (SHA-256) هي {sha}.</translation>
    </message>
</context>
<context>
    <name>DeliverPage</name>
    <message>
        <source>When the committee has approved the request, record the service delivered. Until it answers, close the window: the intake waits in your drafts.</source>
        <translation>بعد موافقة اللجنة على الطلب سجّل الخدمة المقدَّمة. وإلى أن تردّ اللجنة أغلق النافذة، وسيبقى الاستقبال محفوظًا في مسوداتك.</translation>
    </message>
    <message>
        <source>Check the committee's &amp;answer again</source>
        <translation>تحقّق من ردّ اللجنة مجددًا (&amp;A)</translation>
    </message>
    <message>
        <source>e.g. a food basket for a family of five</source>
        <translation>مثل: سلة غذائية لأسرة من خمسة أفراد</translation>
    </message>
    <message>
        <source>Today, or a date such as 1446/02/25 هـ</source>
        <translation>اليوم، أو تاريخ مثل 1446/02/25 هـ</translation>
    </message>
    <message>
        <source>The service delivered</source>
        <translation>الخدمة المقدَّمة</translation>
    </message>
    <message>
        <source>&amp;Service</source>
        <translation>الخدمة (&amp;S)</translation>
    </message>
    <message>
        <source>A&amp;mount (riyals)</source>
        <translation>المبلغ بالريال (&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Items</source>
        <translation>المواد (&amp;I)</translation>
    </message>
    <message>
        <source>Delivered &amp;on</source>
        <translation>تاريخ التسليم (&amp;O)</translation>
    </message>
    <message>
        <source>{amount} riyals</source>
        <translation>{amount} ريال</translation>
    </message>
    <message>
        <source>no amount</source>
        <translation>بلا مبلغ</translation>
    </message>
    <message>
        <source>The committee approved the request: {amount}.</source>
        <translation>وافقت اللجنة على الطلب: {amount}.</translation>
    </message>
    <message>
        <source>Delivered so far: {amount} riyals.</source>
        <translation>المُسلَّم حتى الآن: {amount} ريال.</translation>
    </message>
    <message>
        <source>The request is “{status}”: Finish closes the interview.</source>
        <translation>حالة الطلب «{status}»: زر الإنهاء يُغلق المقابلة.</translation>
    </message>
    <message>
        <source>The request is “{status}”. The committee answers by {date}; the service is recorded once it approves.</source>
        <translation>حالة الطلب «{status}». تردّ اللجنة في موعد أقصاه {date}، وتُسجَّل الخدمة بعد موافقتها.</translation>
    </message>
    <message>
        <source>Recorded. The intake is complete.</source>
        <translation>تم التسجيل. اكتمل استقبال المستفيد.</translation>
    </message>
</context>
<context>
    <name>DraftsDialog</name>
    <message>
        <source>Intakes in progress</source>
        <translation>استقبالات لم تكتمل</translation>
    </message>
    <message>
        <source>These intakes were not finished. Continue one where it stopped, or keep them for later.</source>
        <translation>هذه استقبالات لم تكتمل بعد. تابع أحدها من حيث توقف، أو احتفظ بها لوقت لاحق.</translation>
    </message>
    <message>
        <source>{title} — at: {step} — saved {date} {time}</source>
        <translation>{title} — عند: {step} — حُفظ {date} {time}</translation>
    </message>
    <message>
        <source>&amp;Continue</source>
        <translation>تابِع (&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Discard…</source>
        <translation>احذف… (&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Later</source>
        <translation>لاحقًا (&amp;L)</translation>
    </message>
    <message>
        <source>Discard the draft</source>
        <translation>حذف المسودة</translation>
    </message>
    <message>
        <source>Discard this intake's draft? What was typed and not yet recorded is lost; the steps already recorded stay recorded.</source>
        <translation>هل تريد حذف مسودة هذا الاستقبال؟ سيضيع ما كُتب ولم يُسجَّل بعد، أما الخطوات المسجّلة فتبقى مسجّلة.</translation>
    </message>
</context>
<context>
    <name>DualDateField</name>
    <message>
        <source>e.g. 1446/02/25 هـ or 2024-08-29</source>
        <translation>مثل 1446/02/25 هـ أو ⁦2024-08-29⁩</translation>
    </message>
    <message>
        <source>Date, Gregorian or Hijri</source>
        <translation>التاريخ، ميلاديًا أو هجريًا</translation>
    </message>
    <message>
        <source>Choose the day on the Hijri (Umm al-Qura) calendar</source>
        <translation>اختر اليوم من التقويم الهجري (أم القرى)</translation>
    </message>
</context>
<context>
    <name>DuplicatePanel</name>
    <message>
        <source>This is someone else — register anyway</source>
        <translation>هذا شخص آخر — سجّله على أي حال</translation>
    </message>
    <message>
        <source>Same ID number</source>
        <translation>رقم الهوية نفسه</translation>
    </message>
    <message>
        <source>Same name and birth date</source>
        <translation>الاسم وتاريخ الميلاد نفسهما</translation>
    </message>
    <message>
        <source>Same four-part name</source>
        <translation>الاسم الرباعي نفسه</translation>
    </message>
    <message>
        <source>{reason}: {name} — ID {national_id} — file {file_number}</source>
        <translation>{reason}: {name} — الهوية {national_id} — الملف {file_number}</translation>
    </message>
    <message>
        <source>Open this file</source>
        <translation>افتح هذا الملف</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>Romah Desktop — first start</source>
        <translation>رومة لسطح المكتب — التشغيل الأول</translation>
    </message>
    <message>
        <source>This laptop has no Romah database yet. Name its branch and the first administrator to create one.</source>
        <translation>لا توجد على هذا الجهاز قاعدة بيانات رومة بعد. أدخل بيانات الفرع والمشرف الأول لإنشائها.</translation>
    </message>
    <message>
        <source>Branch code (e.g. RYD)</source>
        <translation>رمز الفرع (مثل RYD)</translation>
    </message>
    <message>
        <source>Branch name</source>
        <translation>اسم الفرع</translation>
    </message>
    <message>
        <source>Administrator's user name</source>
        <translation>اسم مستخدم المشرف</translation>
    </message>
    <message>
        <source>Administrator's full name</source>
        <translation>الاسم الكامل للمشرف</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>كلمة المرور</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>تأكيد كلمة المرور</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>إنشاء</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>كلمتا المرور غير متطابقتين.</translation>
    </message>
</context>
<context>
    <name>FollowUpsModel</name>
    <message>
        <source>Follow up on</source>
        <translation>موعد المتابعة</translation>
    </message>
    <message>
        <source>With</source>
        <translation>مع</translation>
    </message>
    <message>
        <source>Mobile or file</source>
        <translation>الجوال أو رقم الملف</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>قناة التواصل</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>الموضوع</translation>
    </message>
</context>
<context>
    <name>HijriMonthPicker</name>
    <message>
        <source>Previous year</source>
        <translation>السنة السابقة</translation>
    </message>
    <message>
        <source>Previous month</source>
        <translation>الشهر السابق</translation>
    </message>
    <message>
        <source>Next month</source>
        <translation>الشهر التالي</translation>
    </message>
    <message>
        <source>Next year</source>
        <translation>السنة التالية</translation>
    </message>
</context>
<context>
    <name>IncomeEditor</name>
    <message>
        <source>Source</source>
        <translation>المصدر</translation>
    </message>
    <message>
        <source>Monthly amount (riyals)</source>
        <translation>المبلغ الشهري (بالريال)</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>ملاحظات</translation>
    </message>
</context>
<context>
    <name>IntakeFields</name>
    <message>
        <source>File number</source>
        <translation>رقم الملف</translation>
    </message>
    <message>
        <source>First name</source>
        <translation>الاسم الأول</translation>
    </message>
    <message>
        <source>Father's name</source>
        <translation>اسم الأب</translation>
    </message>
    <message>
        <source>Grandfather's name</source>
        <translation>اسم الجد</translation>
    </message>
    <message>
        <source>Family name</source>
        <translation>اسم العائلة</translation>
    </message>
    <message>
        <source>National ID / Iqama number</source>
        <translation>رقم الهوية الوطنية / الإقامة</translation>
    </message>
    <message>
        <source>Kind of ID</source>
        <translation>نوع الهوية</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>الجنس</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>تاريخ الميلاد</translation>
    </message>
    <message>
        <source>Nationality</source>
        <translation>الجنسية</translation>
    </message>
    <message>
        <source>Marital status</source>
        <translation>الحالة الاجتماعية</translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation>الجوال</translation>
    </message>
    <message>
        <source>City</source>
        <translation>المدينة</translation>
    </message>
    <message>
        <source>District</source>
        <translation>الحي</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>العنوان</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>الفئات</translation>
    </message>
    <message>
        <source>Housing</source>
        <translation>السكن</translation>
    </message>
    <message>
        <source>Monthly rent (riyals)</source>
        <translation>الإيجار الشهري (بالريال)</translation>
    </message>
    <message>
        <source>Household size</source>
        <translation>عدد أفراد الأسرة</translation>
    </message>
    <message>
        <source>Monthly income (riyals)</source>
        <translation>الدخل الشهري (بالريال)</translation>
    </message>
    <message>
        <source>IBAN</source>
        <translation>رقم الآيبان</translation>
    </message>
    <message>
        <source>Owned</source>
        <translation>ملك</translation>
    </message>
    <message>
        <source>Rented</source>
        <translation>إيجار</translation>
    </message>
    <message>
        <source>Shared</source>
        <translation>مشترك</translation>
    </message>
    <message>
        <source>Charity housing</source>
        <translation>سكن خيري</translation>
    </message>
    <message>
        <source>Other housing</source>
        <translation>سكن آخر</translation>
    </message>
    <message>
        <source>e.g. 0501234567</source>
        <translation>مثل: 0501234567</translation>
    </message>
    <message>
        <source>e.g. 5</source>
        <translation>مثل: 5</translation>
    </message>
    <message>
        <source>e.g. 1500</source>
        <translation>مثل: 1500</translation>
    </message>
    <message>
        <source>e.g. 3000, or 0</source>
        <translation>مثل: 3000، أو 0</translation>
    </message>
    <message>
        <source>SA followed by 22 digits</source>
        <translation>SA يليها 22 رقمًا</translation>
    </message>
    <message>
        <source>{amount} riyals</source>
        <translation>{amount} ريال</translation>
    </message>
</context>
<context>
    <name>IntakeWizard</name>
    <message>
        <source>&amp;Next</source>
        <translation>التالي (&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>السابق (&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Finish</source>
        <translation>إنهاء (&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Keep for later</source>
        <translation>احفظه لوقت لاحق (&amp;K)</translation>
    </message>
    <message>
        <source>Guided intake — {person}</source>
        <translation>استقبال المستفيد — {person}</translation>
    </message>
    <message>
        <source>Guided intake</source>
        <translation>استقبال المستفيد</translation>
    </message>
    <message>
        <source>Someone not chosen yet</source>
        <translation>مستفيد لم يُحدَّد بعد</translation>
    </message>
    <message>
        <source>The draft could not be saved ({reason}).</source>
        <translation>تعذّر حفظ المسودة ({reason}).</translation>
    </message>
</context>
<context>
    <name>LibraryModel</name>
    <message>
        <source>Kind</source>
        <translation>الصنف</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>العنوان</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>الإصدار</translation>
    </message>
    <message>
        <source>Approved on</source>
        <translation>تاريخ الاعتماد</translation>
    </message>
    <message>
        <source>Review due</source>
        <translation>موعد المراجعة</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>المراجعة</translation>
    </message>
    <message>
        <source>No review date</source>
        <translation>بلا موعد مراجعة</translation>
    </message>
    <message>
        <source>Review overdue</source>
        <translation>فات موعد المراجعة</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>سارية</translation>
    </message>
</context>
<context>
    <name>LibraryPage</name>
    <message>
        <source>Search the titles and texts</source>
        <translation>ابحث في العناوين والنصوص</translation>
    </message>
    <message>
        <source>Reference library</source>
        <translation>المكتبة المرجعية</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>جارٍ التحميل…</translation>
    </message>
    <message>
        <source>The library is empty.</source>
        <translation>المكتبة فارغة.</translation>
    </message>
    <message>
        <source>Documents due for review: {count}.</source>
        <translation>الوثائق المستحقة للمراجعة: {count}.</translation>
    </message>
    <message>
        <source>{title} — version {version}</source>
        <translation>{title} — الإصدار {version}</translation>
    </message>
    <message>
        <source>its review was due on {date}</source>
        <translation>كان موعد مراجعتها {date}</translation>
    </message>
    <message>
        <source>This document has no text in the library.</source>
        <translation>لا يوجد نص لهذه الوثيقة في المكتبة.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Romah Desktop — sign in</source>
        <translation>رومة لسطح المكتب — تسجيل الدخول</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>اسم المستخدم</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>كلمة المرور</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>دخول</translation>
    </message>
    <message>
        <source>Romah Society for Non-profit Development</source>
        <translation>جمعية رومة لتطوير العمل غير الربحي</translation>
    </message>
    <message>
        <source>Type your user name and password.</source>
        <translation>أدخل اسم المستخدم وكلمة المرور.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Romah Desktop</source>
        <translation>رومة لسطح المكتب</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>تسجيل الخروج</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;ملف</translation>
    </message>
    <message>
        <source>&amp;Intake</source>
        <translation>&amp;استقبال</translation>
    </message>
    <message>
        <source>New &amp;intake…</source>
        <translation>استقبال &amp;جديد…</translation>
    </message>
    <message>
        <source>&amp;Continue an intake…</source>
        <translation>&amp;متابعة استقبال…</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>اليوم</translation>
    </message>
    <message>
        <source>Beneficiaries</source>
        <translation>المستفيدون</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>الطلبات</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>التواصل</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>المكتبة المرجعية</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>الإعدادات</translation>
    </message>
</context>
<context>
    <name>MembersEditor</name>
    <message>
        <source>Name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <source>Relationship</source>
        <translation>صلة القرابة</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>الجنس</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>تاريخ الميلاد</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>رقم الهوية</translation>
    </message>
    <message>
        <source>Situation</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <source>dependent</source>
        <translation>معال</translation>
    </message>
    <message>
        <source>has a disability</source>
        <translation>من ذوي الإعاقة</translation>
    </message>
    <message>
        <source>in education</source>
        <translation>يدرس</translation>
    </message>
    <message>
        <source>, </source>
        <translation>، </translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>الاسم الكامل</translation>
    </message>
    <message>
        <source>ID or Iqama number</source>
        <translation>رقم الهوية أو الإقامة</translation>
    </message>
    <message>
        <source>Dependent on the beneficiary</source>
        <translation>يعوله المستفيد</translation>
    </message>
    <message>
        <source>Has a disability</source>
        <translation>من ذوي الإعاقة</translation>
    </message>
    <message>
        <source>In education</source>
        <translation>يدرس</translation>
    </message>
</context>
<context>
    <name>PersonPicker</name>
    <message>
        <source>Name, national ID or mobile</source>
        <translation>الاسم أو رقم الهوية أو الجوال</translation>
    </message>
    <message>
        <source>No one matches.</source>
        <translation>لا يوجد مستفيد مطابق.</translation>
    </message>
</context>
<context>
    <name>PhonesEditor</name>
    <message>
        <source>Mobile number</source>
        <translation>رقم الجوال</translation>
    </message>
    <message>
        <source>Whose number</source>
        <translation>صاحب الرقم</translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <source>Personal</source>
        <translation>البيانات الشخصية</translation>
    </message>
    <message>
        <source>Address and housing</source>
        <translation>العنوان والسكن</translation>
    </message>
    <message>
        <source>Income and household</source>
        <translation>الدخل والأسرة</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>الفئات</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>ملاحظات</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>السجل الزمني</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>حفظ</translation>
    </message>
    <message>
        <source>Save the file (Ctrl+S)</source>
        <translation>احفظ الملف (Ctrl+S)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>إغلاق</translation>
    </message>
    <message>
        <source>First name</source>
        <translation>الاسم الأول</translation>
    </message>
    <message>
        <source>Father's name</source>
        <translation>اسم الأب</translation>
    </message>
    <message>
        <source>Grandfather's name</source>
        <translation>اسم الجد</translation>
    </message>
    <message>
        <source>Family name</source>
        <translation>اسم العائلة</translation>
    </message>
    <message>
        <source>National ID or Iqama number</source>
        <translation>رقم الهوية الوطنية أو الإقامة</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>الجنس</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>تاريخ الميلاد</translation>
    </message>
    <message>
        <source>Nationality</source>
        <translation>الجنسية</translation>
    </message>
    <message>
        <source>Marital status</source>
        <translation>الحالة الاجتماعية</translation>
    </message>
    <message>
        <source>Mobile number</source>
        <translation>رقم الجوال</translation>
    </message>
    <message>
        <source>10 digits</source>
        <translation>10 أرقام</translation>
    </message>
    <message>
        <source>Other phone numbers</source>
        <translation>أرقام هواتف أخرى</translation>
    </message>
    <message>
        <source>City</source>
        <translation>المدينة</translation>
    </message>
    <message>
        <source>District</source>
        <translation>الحي</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>العنوان</translation>
    </message>
    <message>
        <source>Housing</source>
        <translation>السكن</translation>
    </message>
    <message>
        <source>Monthly rent (riyals)</source>
        <translation>الإيجار الشهري (بالريال)</translation>
    </message>
    <message>
        <source>Household size (people)</source>
        <translation>عدد أفراد الأسرة</translation>
    </message>
    <message>
        <source>Monthly income (riyals)</source>
        <translation>الدخل الشهري (بالريال)</translation>
    </message>
    <message>
        <source>IBAN</source>
        <translation>رقم الآيبان</translation>
    </message>
    <message>
        <source>Income sources</source>
        <translation>مصادر الدخل</translation>
    </message>
    <message>
        <source>Household members</source>
        <translation>أفراد الأسرة</translation>
    </message>
    <message>
        <source>Which of the society's categories the person is in:</source>
        <translation>الفئات التي ينتمي إليها الشخص من فئات الجمعية:</translation>
    </message>
    <message>
        <source>Staff notes on the file (not part of the declaration)</source>
        <translation>ملاحظات الموظفين على الملف (ليست جزءًا من الإقرار)</translation>
    </message>
    <message>
        <source>Register a new person</source>
        <translation>تسجيل مستفيد جديد</translation>
    </message>
    <message>
        <source>File {number} — {name}</source>
        <translation>الملف {number} — {name}</translation>
    </message>
    <message>
        <source>Your role may read this file but not change it.</source>
        <translation>يسمح لك دورك بالاطلاع على هذا الملف دون تعديله.</translation>
    </message>
    <message>
        <source>Reading the file…</source>
        <translation>جارٍ قراءة الملف…</translation>
    </message>
    <message>
        <source>Saved: file {number}.</source>
        <translation>حُفظ: الملف {number}.</translation>
    </message>
    <message>
        <source>This person may already have a file:</source>
        <translation>قد يكون لهذا الشخص ملف من قبل:</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>جارٍ الحفظ…</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>تم الحفظ.</translation>
    </message>
    <message>
        <source>The database is busy (another program is using it), so nothing was saved. Everything you typed is still here: try Save again in a moment.</source>
        <translation>قاعدة البيانات مشغولة (يستخدمها برنامج آخر)، فلم يُحفظ شيء. كل ما كتبته ما زال هنا: أعد الضغط على «حفظ» بعد قليل.</translation>
    </message>
    <message>
        <source>Household member</source>
        <translation>فرد الأسرة</translation>
    </message>
    <message>
        <source>Income source</source>
        <translation>مصدر الدخل</translation>
    </message>
    <message>
        <source>Other phone</source>
        <translation>الهاتف الآخر</translation>
    </message>
    <message>
        <source>{what} {number}: {message}</source>
        <translation>{what} {number}: {message}</translation>
    </message>
    <message>
        <source>Some fields need correcting: each says what is wrong next to it.</source>
        <translation>بعض الحقول تحتاج إلى تصحيح: بجانب كل حقل ما فيه من خطأ.</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>تغييرات غير محفوظة</translation>
    </message>
    <message>
        <source>Close without saving what you typed?</source>
        <translation>هل تغلق دون حفظ ما كتبته؟</translation>
    </message>
</context>
<context>
    <name>ReceivePage</name>
    <message>
        <source>Find the person who came (or register them), the channel and what they ask for. Next logs the contact, starts the interview and opens the request.</source>
        <translation>ابحث عن المستفيد الذي حضر (أو سجّله)، وحدّد قناة التواصل وما يطلبه. زر «التالي» يسجّل التواصل ويبدأ المقابلة ويفتح الطلب.</translation>
    </message>
    <message>
        <source>No one chosen yet.</source>
        <translation>لم يُختر أحد بعد.</translation>
    </message>
    <message>
        <source>&amp;Register a new person…</source>
        <translation>سجّل مستفيدًا جديدًا… (&amp;R)</translation>
    </message>
    <message>
        <source>Needed for cash and rent, e.g. 1500</source>
        <translation>مطلوب للمساعدة النقدية والإيجار، مثل: 1500</translation>
    </message>
    <message>
        <source>In a few words, e.g. help with the rent</source>
        <translation>بكلمات قليلة، مثل: مساعدة في الإيجار</translation>
    </message>
    <message>
        <source>The person's situation and why they need support</source>
        <translation>حال المستفيد وسبب حاجته إلى الدعم</translation>
    </message>
    <message>
        <source>Find the &amp;person</source>
        <translation>ابحث عن المستفيد (&amp;P)</translation>
    </message>
    <message>
        <source>C&amp;hannel</source>
        <translation>قناة التواصل (&amp;H)</translation>
    </message>
    <message>
        <source>Request &amp;type</source>
        <translation>نوع الطلب (&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Amount requested (riyals)</source>
        <translation>المبلغ المطلوب بالريال (&amp;A)</translation>
    </message>
    <message>
        <source>&amp;What they asked</source>
        <translation>ما يطلبه (&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Details</source>
        <translation>التفاصيل (&amp;D)</translation>
    </message>
    <message>
        <source>Chosen: {person}</source>
        <translation>المختار: {person}</translation>
    </message>
    <message>
        <source>Registering a new person is not available here yet.</source>
        <translation>تسجيل مستفيد جديد غير متاح هنا بعد.</translation>
    </message>
    <message>
        <source>Recorded: the contact is logged, the interview started and request {number} opened.</source>
        <translation>تم التسجيل: سُجّل التواصل وبدأت المقابلة وفُتح الطلب رقم {number}.</translation>
    </message>
</context>
<context>
    <name>ReferPage</name>
    <message>
        <source>If the procedure is unclear to the person, refer their question to the social research officer: it appears in the officer's queue. Otherwise just go on.</source>
        <translation>إذا لم تكن الإجراءات واضحة للمستفيد فأحِل سؤاله إلى مسؤول البحث الاجتماعي ليظهر في قائمة أعماله، وإلا فتابع.</translation>
    </message>
    <message>
        <source>&amp;Refer to social research: the procedure is unclear to the person</source>
        <translation>أحِل إلى البحث الاجتماعي: الإجراءات غير واضحة للمستفيد (&amp;R)</translation>
    </message>
    <message>
        <source>What the person wants to understand</source>
        <translation>ما يريد المستفيد فهمه</translation>
    </message>
    <message>
        <source>Any officer of the branch</source>
        <translation>أي مسؤول في الفرع</translation>
    </message>
    <message>
        <source>The person's &amp;question</source>
        <translation>سؤال المستفيد (&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Officer</source>
        <translation>المسؤول (&amp;O)</translation>
    </message>
    <message>
        <source>Referred: the question is in the social research queue.</source>
        <translation>تمت الإحالة: السؤال في قائمة البحث الاجتماعي.</translation>
    </message>
    <message>
        <source>No referral was needed.</source>
        <translation>لم تكن الإحالة لازمة.</translation>
    </message>
</context>
<context>
    <name>ReferralsModel</name>
    <message>
        <source>Referred on</source>
        <translation>تاريخ الإحالة</translation>
    </message>
    <message>
        <source>Beneficiary</source>
        <translation>المستفيد</translation>
    </message>
    <message>
        <source>File number</source>
        <translation>رقم الملف</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>السؤال</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>الإسناد</translation>
    </message>
    <message>
        <source>To me</source>
        <translation>إليّ</translation>
    </message>
    <message>
        <source>Not yet assigned</source>
        <translation>لم تُسند بعد</translation>
    </message>
</context>
<context>
    <name>RegisterPage</name>
    <message>
        <source>Once the file is complete (a current signed declaration and valid documents), Next completes its registration.</source>
        <translation>متى اكتمل الملف (إقرار موقّع يطابق بياناته الحالية ومستندات سارية) فإن زر «التالي» يُكمل تسجيله.</translation>
    </message>
    <message>
        <source>Check a renewed &amp;document</source>
        <translation>تحقّق من مستند مُجدَّد (&amp;D)</translation>
    </message>
    <message>
        <source>Registration: {status}</source>
        <translation>التسجيل: {status}</translation>
    </message>
    <message>
        <source>The file still needs:</source>
        <translation>ما زال الملف يحتاج إلى:</translation>
    </message>
    <message>
        <source>The registration cannot be completed yet: the file still needs what is listed above.</source>
        <translation>لا يمكن استكمال التسجيل بعد: ما زال الملف يحتاج إلى ما هو مذكور أعلاه.</translation>
    </message>
    <message>
        <source>The registration is complete.</source>
        <translation>اكتمل التسجيل.</translation>
    </message>
</context>
<context>
    <name>RequestDetailsDialog</name>
    <message>
        <source>Support request</source>
        <translation>طلب الدعم</translation>
    </message>
    <message>
        <source>Request number</source>
        <translation>رقم الطلب</translation>
    </message>
    <message>
        <source>Beneficiary</source>
        <translation>المستفيد</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>النوع</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <source>Amount requested (SAR)</source>
        <translation>المبلغ المطلوب (ريال)</translation>
    </message>
    <message>
        <source>Received through</source>
        <translation>ورد عبر</translation>
    </message>
    <message>
        <source>Submitted to the committee</source>
        <translation>تاريخ الرفع إلى اللجنة</translation>
    </message>
    <message>
        <source>Committee's answer due</source>
        <translation>موعد رد اللجنة</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>جارٍ التحميل…</translation>
    </message>
    <message>
        <source>Justification</source>
        <translation>مسوّغات الطلب</translation>
    </message>
    <message>
        <source>Committee decisions</source>
        <translation>قرارات اللجنة</translation>
    </message>
    <message>
        <source>{date} — overdue</source>
        <translation>{date} — متأخر</translation>
    </message>
    <message>
        <source>{date}: {outcome}</source>
        <translation>{date}: {outcome}</translation>
    </message>
    <message>
        <source>{amount} riyals</source>
        <translation>{amount} ريال</translation>
    </message>
    <message>
        <source>(corrected by a later decision)</source>
        <translation>(صُحِّح بقرار لاحق)</translation>
    </message>
    <message>
        <source>No decision yet.</source>
        <translation>لم يصدر قرار بعد.</translation>
    </message>
</context>
<context>
    <name>RequestsModel</name>
    <message>
        <source>Number</source>
        <translation>الرقم</translation>
    </message>
    <message>
        <source>Beneficiary</source>
        <translation>المستفيد</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>النوع</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <source>Amount (SAR)</source>
        <translation>المبلغ (ريال)</translation>
    </message>
    <message>
        <source>Committee's answer due</source>
        <translation>موعد رد اللجنة</translation>
    </message>
    <message>
        <source>Days left</source>
        <translation>الأيام المتبقية</translation>
    </message>
    <message>
        <source>Overdue by {days} days</source>
        <translation>متأخر — عدد الأيام: {days}</translation>
    </message>
    <message>
        <source>Due today</source>
        <translation>يستحق اليوم</translation>
    </message>
    <message>
        <source>The committee's answer is overdue.</source>
        <translation>تأخر رد اللجنة عن موعده.</translation>
    </message>
</context>
<context>
    <name>RequestsPage</name>
    <message>
        <source>All statuses</source>
        <translation>كل الحالات</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>جميع الأنواع</translation>
    </message>
    <message>
        <source>Request number, name, national ID or mobile</source>
        <translation>رقم الطلب أو الاسم أو رقم الهوية أو الجوال</translation>
    </message>
    <message>
        <source>Open request</source>
        <translation>فتح الطلب</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>النوع</translation>
    </message>
    <message>
        <source>Support requests</source>
        <translation>طلبات الدعم</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>جارٍ التحميل…</translation>
    </message>
    <message>
        <source>No requests match.</source>
        <translation>لا توجد طلبات مطابقة.</translation>
    </message>
    <message>
        <source>Requests shown: {count} (scroll down for more).</source>
        <translation>الطلبات المعروضة: {count} (مرّر للأسفل لعرض المزيد).</translation>
    </message>
    <message>
        <source>Requests: {count}.</source>
        <translation>عدد الطلبات: {count}.</translation>
    </message>
</context>
<context>
    <name>RowsEditor</name>
    <message>
        <source>Add</source>
        <translation>إضافة</translation>
    </message>
    <message>
        <source>Save changes to the row</source>
        <translation>حفظ تعديل الصف</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>حذف</translation>
    </message>
    <message>
        <source>New row</source>
        <translation>صف جديد</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Language</source>
        <translation>اللغة</translation>
    </message>
    <message>
        <source>Days for the committee's answer</source>
        <translation>مدة رد لجنة البحث بالأيام</translation>
    </message>
    <message>
        <source>Lock the screen after idle minutes</source>
        <translation>قفل الشاشة بعد دقائق من عدم النشاط</translation>
    </message>
    <message>
        <source>Wrong passwords before an account locks</source>
        <translation>محاولات كلمة المرور الخاطئة قبل قفل الحساب</translation>
    </message>
    <message>
        <source>Minutes an account stays locked</source>
        <translation>مدة قفل الحساب بالدقائق</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>حفظ الإعدادات</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>تم الحفظ.</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <source>Signature pad</source>
        <translation>لوحة التوقيع</translation>
    </message>
    <message>
        <source>The person signs here with the mouse, a pen or a finger.</source>
        <translation>يوقّع المستفيد هنا بالفأرة أو بالقلم أو بالإصبع.</translation>
    </message>
    <message>
        <source>Sign here</source>
        <translation>وقّع هنا</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Branch: {name}</source>
        <translation>الفرع: {name}</translation>
    </message>
    <message>
        <source>Linked to HQ — sync not yet available</source>
        <translation>مرتبط بالمركز الرئيسي — المزامنة غير متاحة بعد</translation>
    </message>
    <message>
        <source>Working offline (not enrolled with HQ)</source>
        <translation>العمل دون اتصال (الجهاز غير مسجل لدى المركز الرئيسي)</translation>
    </message>
    <message>
        <source>Changes waiting to sync: {count}</source>
        <translation>تغييرات بانتظار المزامنة: {count}</translation>
    </message>
</context>
<context>
    <name>StepPage</name>
    <message>
        <source>Step {number} of {total}: {step}</source>
        <translation>الخطوة {number} من {total}: {step}</translation>
    </message>
</context>
<context>
    <name>SubmitPage</name>
    <message>
        <source>Tell the person that the request goes to the research committee, which answers with acceptance or rejection by the date below. Next submits the request.</source>
        <translation>أبلغ المستفيد أن طلبه يُرفع إلى لجنة البحث، وأنها تردّ بالقبول أو الرفض في موعد أقصاه التاريخ أدناه. زر «التالي» يرفع الطلب.</translation>
    </message>
    <message>
        <source>Take a ne&amp;w declaration</source>
        <translation>خذ إقرارًا جديدًا (&amp;W)</translation>
    </message>
    <message>
        <source>{amount} riyals</source>
        <translation>{amount} ريال</translation>
    </message>
    <message>
        <source>no amount</source>
        <translation>بلا مبلغ</translation>
    </message>
    <message>
        <source>Request {number}: {kind}, {amount}. Signed declaration: {fingerprint}…</source>
        <translation>الطلب {number}: {kind}، {amount}. الإقرار الموقّع: {fingerprint}…</translation>
    </message>
    <message>
        <source>If submitted today, the committee answers by {date} (in {days} days).</source>
        <translation>إذا رُفع الطلب اليوم فإن اللجنة تردّ في موعد أقصاه {date} (خلال {days} يومًا).</translation>
    </message>
    <message>
        <source>Submitted. The research committee answers by {date}.</source>
        <translation>رُفع الطلب. تردّ لجنة البحث في موعد أقصاه {date}.</translation>
    </message>
    <message>
        <source>Tell the person this date; it is printed on their receipt.</source>
        <translation>أبلغ المستفيد بهذا التاريخ؛ وهو مطبوع على إيصاله.</translation>
    </message>
</context>
<context>
    <name>TimelineModel</name>
    <message>
        <source>When</source>
        <translation>التاريخ</translation>
    </message>
    <message>
        <source>What</source>
        <translation>النوع</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>التفاصيل</translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <source>The timeline starts once the file is saved.</source>
        <translation>يبدأ السجل الزمني بعد حفظ الملف.</translation>
    </message>
    <message>
        <source>Reading the file's history…</source>
        <translation>جارٍ قراءة سجل الملف…</translation>
    </message>
    <message>
        <source>Nothing has been recorded yet.</source>
        <translation>لم يُسجَّل شيء بعد.</translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <source>No follow-up is due.</source>
        <translation>لا توجد متابعة مستحقة.</translation>
    </message>
    <message>
        <source>No request is overdue.</source>
        <translation>لا يوجد طلب متأخر.</translation>
    </message>
    <message>
        <source>No request is due soon.</source>
        <translation>لا يوجد طلب يقترب موعد الرد عليه.</translation>
    </message>
    <message>
        <source>No open referral.</source>
        <translation>لا توجد إحالة مفتوحة.</translation>
    </message>
    <message>
        <source>No request awaits the committee.</source>
        <translation>لا يوجد طلب بانتظار اللجنة.</translation>
    </message>
    <message>
        <source>Follow-up done</source>
        <translation>تمت المتابعة</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>جارٍ التحميل…</translation>
    </message>
    <message>
        <source>Today, {date}</source>
        <translation>اليوم، {date}</translation>
    </message>
    <message>
        <source>Follow-ups due ({count})</source>
        <translation>متابعات مستحقة ({count})</translation>
    </message>
    <message>
        <source>Requests overdue for the committee's answer ({count})</source>
        <translation>طلبات تأخر رد اللجنة عليها ({count})</translation>
    </message>
    <message>
        <source>Requests due within {days} days ({count})</source>
        <translation>طلبات يستحق الرد عليها خلال {days} أيام ({count})</translation>
    </message>
    <message>
        <source>Open referrals to social research ({count})</source>
        <translation>إحالات مفتوحة إلى البحث الاجتماعي ({count})</translation>
    </message>
    <message>
        <source>Requests awaiting the committee's decision ({count})</source>
        <translation>طلبات بانتظار قرار اللجنة ({count})</translation>
    </message>
    <message>
        <source>The {shown} most urgent are listed here.</source>
        <translation>تُعرض هنا الأكثر إلحاحًا، وعددها: {shown}.</translation>
    </message>
    <message>
        <source>Nothing is waiting for you today.</source>
        <translation>لا شيء بانتظارك اليوم.</translation>
    </message>
    <message>
        <source>Waiting for you: {count}.</source>
        <translation>المهام بانتظارك: {count}.</translation>
    </message>
    <message>
        <source>The follow-up is done.</source>
        <translation>تمت المتابعة.</translation>
    </message>
</context>
<context>
    <name>VerifyPage</name>
    <message>
        <source>Complete the fields the request needs and check each document: its number and expiry date. An expired document is recorded and flagged, not refused.</source>
        <translation>أكمل الحقول التي يحتاجها الطلب وتحقّق من كل مستند: رقمه وتاريخ انتهائه. المستند المنتهي يُسجَّل ويُعلَّم عليه، ولا يُرفض.</translation>
    </message>
    <message>
        <source>The file</source>
        <translation>الملف</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>المستندات</translation>
    </message>
    <message>
        <source>Add another &amp;document</source>
        <translation>أضف مستندًا آخر (&amp;D)</translation>
    </message>
    <message>
        <source>{name} — ID {national_id} — file {file_number} — request: {kind}</source>
        <translation>{name} — الهوية {national_id} — الملف {file_number} — الطلب: {kind}</translation>
    </message>
    <message>
        <source>The fields this request needs are filled in.</source>
        <translation>الحقول التي يحتاجها هذا الطلب مكتملة.</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>المستند</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>الرقم</translation>
    </message>
    <message>
        <source>Expiry date</source>
        <translation>تاريخ الانتهاء</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <source>{document} (required)</source>
        <translation>{document} (مطلوب)</translation>
    </message>
    <message>
        <source>No expiry</source>
        <translation>لا ينتهي</translation>
    </message>
    <message>
        <source>Expired on {date}: it will be flagged</source>
        <translation>انتهى في {date}: سيُعلَّم عليه</translation>
    </message>
    <message>
        <source>Valid today</source>
        <translation>ساري اليوم</translation>
    </message>
    <message>
        <source>The checklist is still loading…</source>
        <translation>ما زالت قائمة المستندات قيد التحميل…</translation>
    </message>
    <message>
        <source>Recorded: valid</source>
        <translation>سُجّل: ساري</translation>
    </message>
    <message>
        <source>Recorded: EXPIRED — flagged</source>
        <translation>سُجّل: منتهٍ — عُلِّم عليه</translation>
    </message>
    <message>
        <source>Recorded. Flagged as expired on the day of submission: {documents}. The registration cannot be completed until a valid one is checked.</source>
        <translation>تم التسجيل. عُلِّم على ما انتهت صلاحيته يوم التقديم: {documents}. لا يكتمل التسجيل حتى يُتحقَّق من مستند ساري.</translation>
    </message>
    <message>
        <source>Recorded: the file and its documents were checked.</source>
        <translation>تم التسجيل: تم التحقق من الملف ومستنداته.</translation>
    </message>
</context>
<context>
    <name>crash</name>
    <message>
        <source>Something went wrong</source>
        <translation>حدث خطأ</translation>
    </message>
    <message>
        <source>Romah met an unexpected problem. What was saved is safe. A report was left for support in:
{path}</source>
        <translation>واجه البرنامج مشكلة غير متوقعة. ما حُفظ في أمان. تُرك تقرير للدعم الفني في:
{path}</translation>
    </message>
</context>
<context>
    <name>dialog</name>
    <message>
        <source>Romah Desktop — locked</source>
        <translation>رومة لسطح المكتب — الشاشة مقفلة</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>The database is busy (another program is using it), so nothing was saved. Try again in a moment.</source>
        <translation>قاعدة البيانات مشغولة (يستخدمها برنامج آخر)، لذا لم يُحفظ شيء. حاول مرة أخرى بعد قليل.</translation>
    </message>
    <message>
        <source>Something went wrong ({kind}). Nothing was lost; the log has the details.</source>
        <translation>حدث خطأ ({kind}). لم يُفقد شيء، والتفاصيل في ملف السجل.</translation>
    </message>
</context>
</TS>