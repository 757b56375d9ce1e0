<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="ar" sourcelanguage="en">
<context>
    <name>AnswerDialog</name>
    <message>
        <source>Answer</source>
        <translation>الرد</translation>
    </message>
    <message>
        <source>Response given</source>
        <translation>الرد المقدَّم</translation>
    </message>
    <message>
        <source>Answer a referral</source>
        <translation>الرد على إحالة</translation>
    </message>
    <message>
        <source>{person} — {file}: {question}</source>
        <translation>{person} — {file}: {question}</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <source>Assign for follow-up</source>
        <translation>الإسناد للمتابعة</translation>
    </message>
    <message>
        <source>Follow-up by</source>
        <translation>يتابعها</translation>
    </message>
</context>
<context>
    <name>AwaitingModel</name>
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
        <source>Approved (SAR)</source>
        <translation>المعتمد (ريال)</translation>
    </message>
    <message>
        <source>Delivered (SAR)</source>
        <translation>المسلَّم (ريال)</translation>
    </message>
    <message>
        <source>Still to deliver (SAR)</source>
        <translation>المتبقي للتسليم (ريال)</translation>
    </message>
    <message>
        <source>No amount</source>
        <translation>بلا مبلغ</translation>
    </message>
</context>
<context>
    <name>BatchPrintDialog</name>
    <message>
        <source>Batch print</source>
        <translation>طباعة دفعة واحدة</translation>
    </message>
    <message>
        <source>Receipts of the requests submitted that day</source>
        <translation>إيصالات الطلبات المقدَّمة في ذلك اليوم</translation>
    </message>
    <message>
        <source>Decision letters of the decisions made that day</source>
        <translation>خطابات القرارات الصادرة في ذلك اليوم</translation>
    </message>
    <message>
        <source>&amp;Make the PDF</source>
        <translation>أنشئ الملف (&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>إلغاء (&amp;C)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>إغلاق</translation>
    </message>
    <message>
        <source>&amp;Forms</source>
        <translation>النماذج (&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Day</source>
        <translation>اليوم (&amp;D)</translation>
    </message>
    <message>
        <source>Receipts to print for this day: {count}.</source>
        <translation>الإيصالات المطلوب طباعتها لهذا اليوم: {count}.</translation>
    </message>
    <message>
        <source>Decision letters to print for this day: {count}.</source>
        <translation>خطابات القرارات المطلوب طباعتها لهذا اليوم: {count}.</translation>
    </message>
    <message>
        <source>There is nothing of this kind to print for this day.</source>
        <translation>لا يوجد ما يُطبع من هذا النوع لهذا اليوم.</translation>
    </message>
    <message>
        <source>Type the day whose forms to print.</source>
        <translation>اكتب اليوم الذي تريد طباعة نماذجه.</translation>
    </message>
    <message>
        <source>Making the PDF…</source>
        <translation>يُنشأ ملف PDF…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>يجري الإلغاء…</translation>
    </message>
    <message>
        <source>Making form {done} of {total}…</source>
        <translation>يُنشأ النموذج {done} من {total}…</translation>
    </message>
    <message>
        <source>Made: {pages}, shown in the preview.</source>
        <translation>أُنشئ الملف: {pages}، وهي معروضة في المعاينة.</translation>
    </message>
    <message>
        <source>Receipts of {day}</source>
        <translation>إيصالات يوم {day}</translation>
    </message>
    <message>
        <source>Decision letters of {day}</source>
        <translation>خطابات قرارات يوم {day}</translation>
    </message>
    <message>
        <source>Cancelled: nothing was printed.</source>
        <translation>أُلغيت الطباعة: لم يُطبع شيء.</translation>
    </message>
</context>
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
    <name>CaseDialog</name>
    <message>
        <source>Request before the committee</source>
        <translation>طلب معروض على اللجنة</translation>
    </message>
    <message>
        <source>Record decision</source>
        <translation>سجّل القرار</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>الطلب</translation>
    </message>
    <message>
        <source>Beneficiary</source>
        <translation>المستفيد</translation>
    </message>
    <message>
        <source>Beneficiary</source>
        <comment>feminine</comment>
        <translation>المستفيدة</translation>
    </message>
    <message>
        <source>Household and income</source>
        <translation>الأسرة والدخل</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>المهلة</translation>
    </message>
    <message>
        <source>Escalation</source>
        <translation>التصعيد</translation>
    </message>
    <message>
        <source>Justification</source>
        <translation>المبررات</translation>
    </message>
    <message>
        <source>Research reports</source>
        <translation>تقارير البحث</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>المستندات</translation>
    </message>
    <message>
        <source>Decisions</source>
        <translation>القرارات</translation>
    </message>
    <message>
        <source>New meeting…</source>
        <translation>اجتماع جديد…</translation>
    </message>
    <message>
        <source>The approved amount is above the amount requested; I confirm it.</source>
        <translation>المبلغ المعتمد أكبر من المبلغ المطلوب، وأؤكده.</translation>
    </message>
    <message>
        <source>The committee's decision</source>
        <translation>قرار اللجنة</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>الاجتماع</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>القرار</translation>
    </message>
    <message>
        <source>Approved amount (SAR)</source>
        <translation>المبلغ المعتمد (ريال)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>السبب</translation>
    </message>
    <message>
        <source>Tell the beneficiary by</source>
        <translation>إبلاغ المستفيد عبر</translation>
    </message>
    <message>
        <source>Tell the beneficiary by</source>
        <comment>feminine</comment>
        <translation>إبلاغ المستفيدة عبر</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>جارٍ التحميل…</translation>
    </message>
    <message>
        <source>{amount} riyals requested</source>
        <translation>المبلغ المطلوب {amount} ريال</translation>
    </message>
    <message>
        <source>{count} in the household</source>
        <translation>عدد أفراد الأسرة {count}</translation>
    </message>
    <message>
        <source>income {amount} riyals a month</source>
        <translation>الدخل {amount} ريال شهريًا</translation>
    </message>
    <message>
        <source>rent {amount} riyals a month</source>
        <translation>الإيجار {amount} ريال شهريًا</translation>
    </message>
    <message>
        <source>Escalated on {date} by {name}: {note}</source>
        <translation>صُعِّد في {date} من {name}: {note}</translation>
    </message>
    <message>
        <source>valid until {date}</source>
        <translation>صالح حتى {date}</translation>
    </message>
    <message>
        <source>expired on the day it was checked</source>
        <translation>منتهي الصلاحية يوم التحقق منه</translation>
    </message>
    <message>
        <source>No document was checked.</source>
        <translation>لم يُتحقق من أي مستند.</translation>
    </message>
    <message>
        <source>{date}, by {author}:</source>
        <translation>{date}، بقلم {author}:</translation>
    </message>
    <message>
        <source>home visit on {date}.</source>
        <translation>زيارة منزلية في {date}.</translation>
    </message>
    <message>
        <source>Recommendation: {text}</source>
        <translation>التوصية: {text}</translation>
    </message>
    <message>
        <source>No research report yet.</source>
        <translation>لا يوجد تقرير بحث بعد.</translation>
    </message>
    <message>
        <source>Research reports ({count})</source>
        <translation>تقارير البحث ({count})</translation>
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
        <translation>(عُدِّل بقرار لاحق)</translation>
    </message>
    <message>
        <source>No decision yet.</source>
        <translation>لا يوجد قرار بعد.</translation>
    </message>
    <message>
        <source>Only the committee's members record decisions.</source>
        <translation>لا يسجل القرارات إلا أعضاء اللجنة.</translation>
    </message>
    <message>
        <source>This request was decided. A decision recorded here reverses the one in force; both stay in the file.</source>
        <translation>صدر قرار في هذا الطلب. القرار المسجَّل هنا يعدل القرار النافذ، ويبقى كلاهما في الملف.</translation>
    </message>
    <message>
        <source>This request is “{status}”: the committee has nothing to decide.</source>
        <translation>هذا الطلب «{status}»: ليس للجنة ما تقرره فيه.</translation>
    </message>
    <message>
        <source>No meeting yet: record one first</source>
        <translation>لا يوجد اجتماع بعد: سجّل اجتماعًا أولًا</translation>
    </message>
    <message>
        <source>Required: the reason for the rejection</source>
        <translation>مطلوب: سبب الرفض</translation>
    </message>
    <message>
        <source>Required: which information is needed</source>
        <translation>مطلوب: المعلومات المطلوب استكمالها</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>اختياري</translation>
    </message>
    <message>
        <source>Recording the decision…</source>
        <translation>جارٍ تسجيل القرار…</translation>
    </message>
</context>
<context>
    <name>ChartCard</name>
    <message>
        <source>Nothing to count in this period.</source>
        <translation>لا شيء يُحسب في هذه الفترة.</translation>
    </message>
</context>
<context>
    <name>CommitteePage</name>
    <message>
        <source>Open request</source>
        <translation>افتح الطلب</translation>
    </message>
    <message>
        <source>New meeting…</source>
        <translation>اجتماع جديد…</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>اطبع…</translation>
    </message>
    <message>
        <source>Mark as printed</source>
        <translation>عُلِّم كمطبوع</translation>
    </message>
    <message>
        <source>Research committee</source>
        <translation>لجنة البحث</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>جارٍ التحميل…</translation>
    </message>
    <message>
        <source>Awaiting the committee's decision: {waiting} (overdue: {overdue}). Returned for more information, clock stopped: {paused}.</source>
        <translation>بانتظار قرار اللجنة: {waiting} (المتأخرة: {overdue}). أُعيدت لاستكمال المعلومات والمدة متوقفة: {paused}.</translation>
    </message>
    <message>
        <source>Latest meeting: {number} on {date}, {count} members present.</source>
        <translation>آخر اجتماع: {number} في {date}، وحضره {count} من الأعضاء.</translation>
    </message>
    <message>
        <source>No meeting recorded yet.</source>
        <translation>لم يُسجَّل أي اجتماع بعد.</translation>
    </message>
    <message>
        <source>Letters waiting to be printed ({count})</source>
        <translation>خطابات بانتظار الطباعة ({count})</translation>
    </message>
    <message>
        <source>The decision is recorded ({status}); the beneficiary's contact is logged and the decision letter is in the print queue.</source>
        <translation>سُجّل القرار ({status})؛ وسُجّل التواصل مع المستفيد، وأُضيف خطاب القرار إلى قائمة الطباعة.</translation>
    </message>
    <message>
        <source>The decision is recorded ({status}); the beneficiary's contact is logged and the decision letter is in the print queue.</source>
        <comment>feminine</comment>
        <translation>سُجّل القرار ({status})؛ وسُجّل التواصل مع المستفيدة، وأُضيف خطاب القرار إلى قائمة الطباعة.</translation>
    </message>
    <message>
        <source>The meeting is recorded.</source>
        <translation>سُجّل الاجتماع.</translation>
    </message>
    <message>
        <source>Printing is not available in this installation.</source>
        <translation>الطباعة غير متاحة في هذا التثبيت.</translation>
    </message>
    <message>
        <source>The letter left the print queue.</source>
        <translation>خرج الخطاب من قائمة الطباعة.</translation>
    </message>
</context>
<context>
    <name>CommitteeQueueModel</name>
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
        <source>Amount requested (SAR)</source>
        <translation>المبلغ المطلوب (ريال)</translation>
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
        <source>Research report</source>
        <translation>تقرير البحث</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>مُصعَّد</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>نعم</translation>
    </message>
    <message>
        <source>Not yet</source>
        <translation>ليس بعد</translation>
    </message>
    <message>
        <source>Clock stopped: {days} left</source>
        <translation>المدة متوقفة: المتبقي {days}</translation>
    </message>
    <message>
        <source>Overdue by {days}</source>
        <translation>متأخر؛ مدة التأخر: {days}</translation>
    </message>
    <message>
        <source>Due today</source>
        <translation>يستحق اليوم</translation>
    </message>
</context>
<context>
    <name>ComplaintsModel</name>
    <message>
        <source>Received on</source>
        <translation>تاريخ الورود</translation>
    </message>
    <message>
        <source>Answer due</source>
        <translation>موعد الرد</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>قناة التواصل</translation>
    </message>
    <message>
        <source>Days overdue</source>
        <translation>أيام التأخر</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>الشكوى</translation>
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
    <message>
        <source>The contact by {channel} about “{subject}”</source>
        <translation>التواصل عبر {channel} بشأن «{subject}»</translation>
    </message>
    <message>
        <source>Contact logged. Ask the person to rate it in a short satisfaction survey?</source>
        <translation>سُجّل التواصل. هل تدعو الشخص إلى تقييمه في استبيان رضا قصير؟</translation>
    </message>
</context>
<context>
    <name>DeadlinePanel</name>
    <message>
        <source>Escalate…</source>
        <translation>تصعيد…</translation>
    </message>
    <message>
        <source>Returned for more information, clock stopped ({count})</source>
        <translation>أُعيدت لاستكمال المعلومات والمدة متوقفة ({count})</translation>
    </message>
    <message>
        <source>Escalated requests awaiting the committee ({count})</source>
        <translation>طلبات مُصعَّدة بانتظار اللجنة ({count})</translation>
    </message>
    <message>
        <source>No request is overdue or due soon without being escalated.</source>
        <translation>لا يوجد طلب متأخر أو قريب الاستحقاق لم يُصعَّد.</translation>
    </message>
    <message>
        <source>The committee's deadline, requests due in the last {days}</source>
        <translation>مهلة رد اللجنة، الطلبات المستحقة في آخر {days}</translation>
    </message>
    <message>
        <source>Answered on time: {on_time}. Answered late: {late}. Still open: {open} (overdue: {overdue}). Returned for more information: {paused}.</source>
        <translation>رُدّ عليها في الموعد: {on_time}. رُدّ عليها متأخرة: {late}. ما زالت مفتوحة: {open} (المتأخرة منها: {overdue}). أُعيدت لاستكمال المعلومات: {paused}.</translation>
    </message>
    <message>
        <source>Answered within the deadline: {percent}% (of those answered or overdue).</source>
        <translation>نسبة الرد ضمن المهلة: {percent}% (من المردود عليها والمتأخرة).</translation>
    </message>
    <message>
        <source>The request is escalated.</source>
        <translation>صُعِّد الطلب.</translation>
    </message>
</context>
<context>
    <name>DeclarePage</name>
    <message>
        <source>Read the declaration and the data to the person. They confirm the data is correct and sign in the box; the signed declaration can never be changed.</source>
        <translation>اقرأ الإقرار والبيانات على المستفيد، فيؤكد صحة البيانات ويوقّع في المربع. لا يمكن تعديل الإقرار بعد توقيعه.</translation>
    </message>
    <message>
        <source>Read the declaration and the data to the person. They confirm the data is correct and sign in the box; the signed declaration can never be changed.</source>
        <comment>feminine</comment>
        <translation>اقرأ الإقرار والبيانات على المستفيدة، فتؤكد صحة البيانات وتوقّع في المربع. لا يمكن تعديل الإقرار بعد توقيعه.</translation>
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
        <source>&amp;Signed by</source>
        <comment>feminine</comment>
        <translation>الموقّعة (&amp;S)</translation>
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
        <source>The person signs in the box, or tick “Signed on paper instead”.</source>
        <comment>feminine</comment>
        <translation>توقّع المستفيدة في المربع، أو اختر «وُقّع على الورق بدلًا من ذلك».</translation>
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
    <message>
        <source>Recorded. The intake is complete.</source>
        <comment>feminine</comment>
        <translation>تم التسجيل. اكتمل استقبال المستفيدة.</translation>
    </message>
</context>
<context>
    <name>DeliveriesPage</name>
    <message>
        <source>Record &amp;delivery…</source>
        <translation>تسجيل ال&amp;تسليم…</translation>
    </message>
    <message>
        <source>Service delivery</source>
        <translation>تقديم الخدمة</translation>
    </message>
    <message>
        <source>Approved requests waiting for their service. Choose one and record what was handed over; the beneficiary signs the receipt.</source>
        <translation>الطلبات المعتمدة التي تنتظر تقديم خدمتها. اختر طلبًا وسجّل ما سُلِّم، ويوقّع المستفيد على الاستلام.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>جارٍ التحميل…</translation>
    </message>
    <message>
        <source>No approved request is waiting for its service.</source>
        <translation>لا يوجد طلب معتمد ينتظر تقديم خدمته.</translation>
    </message>
    <message>
        <source>Requests waiting: {count} shown (scroll down for more).</source>
        <translation>الطلبات المنتظرة: معروض {count} (مرّر للأسفل للمزيد).</translation>
    </message>
    <message>
        <source>Requests waiting: {count}.</source>
        <translation>الطلبات المنتظرة: {count}.</translation>
    </message>
</context>
<context>
    <name>DeliveryDialog</name>
    <message>
        <source>Record a service delivery</source>
        <translation>تسجيل تقديم خدمة</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>جارٍ التحميل…</translation>
    </message>
    <message>
        <source>In riyals, e.g. 1,500</source>
        <translation>بالريال، مثل 1,500</translation>
    </message>
    <message>
        <source>What was handed over, e.g. a food basket</source>
        <translation>ما سُلِّم، مثل سلة غذائية</translation>
    </message>
    <message>
        <source>Blank: today</source>
        <translation>فارغ: اليوم</translation>
    </message>
    <message>
        <source>&amp;Clear the signature</source>
        <translation>امسح التوقيع (&amp;C)</translation>
    </message>
    <message>
        <source>Signed a &amp;paper receipt instead</source>
        <translation>وقّع على إيصال &amp;ورقي بدلًا من ذلك</translation>
    </message>
    <message>
        <source>Signed a &amp;paper receipt instead</source>
        <comment>feminine</comment>
        <translation>وقّعت على إيصال &amp;ورقي بدلًا من ذلك</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>الخدمة</translation>
    </message>
    <message>
        <source>Amount (SAR)</source>
        <translation>المبلغ (ريال)</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>الأصناف</translation>
    </message>
    <message>
        <source>Delivered on</source>
        <translation>تاريخ التسليم</translation>
    </message>
    <message>
        <source>Delivered by</source>
        <translation>سلّمها</translation>
    </message>
    <message>
        <source>Beneficiary's signature of receipt</source>
        <translation>توقيع المستفيد بالاستلام</translation>
    </message>
    <message>
        <source>Beneficiary's signature of receipt</source>
        <comment>feminine</comment>
        <translation>توقيع المستفيدة بالاستلام</translation>
    </message>
    <message>
        <source>Satisfaction &amp;survey…</source>
        <translation>استبيان ال&amp;رضا…</translation>
    </message>
    <message>
        <source>Request {number} — {person} ({file})</source>
        <translation>الطلب {number} — {person} ({file})</translation>
    </message>
    <message>
        <source>Approved without an amount: record the items handed over.</source>
        <translation>اعتُمد بلا مبلغ: سجّل الأصناف المسلَّمة.</translation>
    </message>
    <message>
        <source>Approved: {approved} SAR — delivered so far: {delivered} SAR — still to deliver: {remaining} SAR</source>
        <translation>المعتمد: {approved} ريال — المسلَّم حتى الآن: {delivered} ريال — المتبقي: {remaining} ريال</translation>
    </message>
    <message>
        <source>{date}: {service} — {what} — {signed} — by {name}</source>
        <translation>{date}: {service} — {what} — {signed} — سلّمها {name}</translation>
    </message>
    <message>
        <source>receipt signed on the screen</source>
        <translation>الإيصال موقَّع على الشاشة</translation>
    </message>
    <message>
        <source>receipt signed on paper</source>
        <translation>الإيصال موقَّع ورقيًا</translation>
    </message>
    <message>
        <source>This request is “{status}”: a service is delivered only on an approved request.</source>
        <translation>هذا الطلب «{status}»: لا تُقدَّم الخدمة إلا على طلب معتمد.</translation>
    </message>
    <message>
        <source>The beneficiary signs the receipt in the box, or tick “Signed a paper receipt instead”.</source>
        <translation>يوقّع المستفيد بالاستلام في المربع، أو اختر «وقّع على إيصال ورقي بدلًا من ذلك».</translation>
    </message>
    <message>
        <source>The beneficiary signs the receipt in the box, or tick “Signed a paper receipt instead”.</source>
        <comment>feminine</comment>
        <translation>توقّع المستفيدة بالاستلام في المربع، أو اختر «وقّعت على إيصال ورقي بدلًا من ذلك».</translation>
    </message>
    <message>
        <source>Delivered. Request {number} is now fulfilled.</source>
        <translation>تم التسليم. اكتمل تنفيذ الطلب {number}.</translation>
    </message>
    <message>
        <source>Delivered. Still to deliver on request {number}: {remaining} SAR.</source>
        <translation>تم التسليم. المتبقي للتسليم على الطلب {number}: {remaining} ريال.</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>تم</translation>
    </message>
    <message>
        <source>The service delivered on request {number} to {person}</source>
        <translation>الخدمة المقدَّمة على الطلب {number} إلى {person}</translation>
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
        <source>Choose the day on the Hijri (Umm al-Qura) calendar (Alt+Down or F4)</source>
        <translation>اختر اليوم من التقويم الهجري (أم القرى) — ⁦Alt+Down⁩ أو ⁦F4⁩</translation>
    </message>
</context>
<context>
    <name>DuplicatePanel</name>
    <message>
        <source>This is someone else — register anyway</source>
        <translation>هذا شخص آخر — سجّله على أي حال</translation>
    </message>
    <message>
        <source>This is someone else — register anyway</source>
        <comment>feminine</comment>
        <translation>هذه امرأة أخرى — سجّلها على أي حال</translation>
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
    <name>EscalateDialog</name>
    <message>
        <source>Escalate a request</source>
        <translation>تصعيد طلب</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>الطلب</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>ملاحظة</translation>
    </message>
    <message>
        <source>Escalate</source>
        <translation>صعِّد</translation>
    </message>
</context>
<context>
    <name>FeedbackDialog</name>
    <message>
        <source>New suggestion or complaint</source>
        <translation>مقترح أو شكوى جديدة</translation>
    </message>
    <message>
        <source>Anonymous (no person chosen)</source>
        <translation>دون ذكر الاسم (لم يُختر مستفيد)</translation>
    </message>
    <message>
        <source> days</source>
        <translation> يومًا</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>الصنف</translation>
    </message>
    <message>
        <source>Received through</source>
        <translation>ورد عبر</translation>
    </message>
    <message>
        <source>From (optional)</source>
        <translation>مقدِّمها (اختياري)</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>النص</translation>
    </message>
    <message>
        <source>Answer within</source>
        <translation>يُرد عليها خلال</translation>
    </message>
    <message>
        <source>due on {date}</source>
        <translation>موعد الرد {date}</translation>
    </message>
    <message>
        <source>From: {person}</source>
        <translation>مقدِّمها: {person}</translation>
    </message>
</context>
<context>
    <name>FeedbackDueModel</name>
    <message>
        <source>Answer due</source>
        <translation>موعد الرد</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>الصنف</translation>
    </message>
    <message>
        <source>Assigned to</source>
        <translation>أُسندت إلى</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>النص</translation>
    </message>
    <message>
        <source>Not yet assigned</source>
        <translation>لم تُسند بعد</translation>
    </message>
</context>
<context>
    <name>FeedbackModel</name>
    <message>
        <source>Kind</source>
        <translation>الصنف</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>تاريخ الورود</translation>
    </message>
    <message>
        <source>Answer due</source>
        <translation>موعد الرد</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <source>Assigned to</source>
        <translation>أُسندت إلى</translation>
    </message>
    <message>
        <source>From</source>
        <translation>مقدِّمها</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>النص</translation>
    </message>
    <message>
        <source>{status} — overdue</source>
        <translation>{status} — متأخرة</translation>
    </message>
    <message>
        <source>Anonymous</source>
        <translation>دون ذكر الاسم</translation>
    </message>
    <message>
        <source>The answer was due on {date}.</source>
        <translation>كان موعد الرد {date}.</translation>
    </message>
</context>
<context>
    <name>FeedbackPage</name>
    <message>
        <source>Suggestions and complaints</source>
        <translation>المقترحات والشكاوى</translation>
    </message>
    <message>
        <source>Satisfaction surveys</source>
        <translation>استبيانات الرضا</translation>
    </message>
    <message>
        <source>Satisfaction, suggestions and complaints</source>
        <translation>الرضا والمقترحات والشكاوى</translation>
    </message>
    <message>
        <source>Not closed</source>
        <translation>غير المغلقة</translation>
    </message>
    <message>
        <source>All, closed too</source>
        <translation>الكل، والمغلقة أيضًا</translation>
    </message>
    <message>
        <source>&amp;New…</source>
        <translation>&amp;جديد…</translation>
    </message>
    <message>
        <source>&amp;Assign…</source>
        <translation>إ&amp;سناد…</translation>
    </message>
    <message>
        <source>A&amp;nswer…</source>
        <translation>ال&amp;رد…</translation>
    </message>
    <message>
        <source>C&amp;lose</source>
        <translation>إ&amp;غلاق</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>عرض</translation>
    </message>
    <message>
        <source>New &amp;survey…</source>
        <translation>استبيان &amp;جديد…</translation>
    </message>
    <message>
        <source>Surveys of the last {days}.</source>
        <translation>استبيانات آخر {days}.</translation>
    </message>
    <message>
        <source>Satisfaction and complaints</source>
        <translation>الرضا والشكاوى</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>جارٍ التحميل…</translation>
    </message>
    <message>
        <source>Nothing to follow up.</source>
        <translation>لا شيء للمتابعة.</translation>
    </message>
    <message>
        <source>Listed: {count}; overdue: {overdue}.</source>
        <translation>المعروض: {count}؛ المتأخر: {overdue}.</translation>
    </message>
    <message>
        <source>Listed: {count}.</source>
        <translation>المعروض: {count}.</translation>
    </message>
    <message>
        <source>Surveys: {count}; average overall rating: {average}.</source>
        <translation>الاستبيانات: {count}؛ متوسط التقييم العام: {average}.</translation>
    </message>
    <message>
        <source>No surveys in this period.</source>
        <translation>لا استبيانات في هذه المدة.</translation>
    </message>
    <message>
        <source>The answer was due on {date}.</source>
        <translation>كان موعد الرد {date}.</translation>
    </message>
    <message>
        <source>Response: {response}</source>
        <translation>الرد: {response}</translation>
    </message>
    <message>
        <source>Closed.</source>
        <translation>أُغلقت.</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>Romah Desktop — first start</source>
        <translation>رومة لسطح المكتب — التشغيل الأول</translation>
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
    <message>
        <source>This laptop has no Romah database yet. Name its branch and the first administrator to create one. The data will be encrypted: only a user's password or the recovery key you will be shown next can open it. If every password and the recovery key are lost, the data is lost.</source>
        <translation>لا توجد على هذا الجهاز قاعدة بيانات رومة بعد. أدخل بيانات الفرع والمشرف الأول لإنشائها. ستُشفَّر البيانات: لا يفتحها إلا كلمة مرور أحد المستخدمين أو مفتاح الاسترداد الذي سيُعرض عليك بعد قليل. إذا ضاعت كل كلمات المرور ومفتاح الاسترداد ضاعت البيانات.</translation>
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
    <name>FormDialog</name>
    <message>
        <source>Saving…</source>
        <translation>يجري الحفظ…</translation>
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
        <source>Guided intake — {person}</source>
        <comment>feminine</comment>
        <translation>استقبال المستفيدة — {person}</translation>
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
        <source>&amp;Publish a document or version…</source>
        <translation>&amp;نشر وثيقة أو إصدار…</translation>
    </message>
    <message>
        <source>Earlier versions stay in the library: choose one to read it.</source>
        <translation>تبقى الإصدارات السابقة في المكتبة: اختر إصدارًا لقراءته.</translation>
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
        <source>replaced by a newer version</source>
        <translation>حلّ محله إصدار أحدث</translation>
    </message>
    <message>
        <source>its review was due on {date}</source>
        <translation>كان موعد مراجعتها {date}</translation>
    </message>
    <message>
        <source>This document has no text in the library.</source>
        <translation>لا يوجد نص لهذه الوثيقة في المكتبة.</translation>
    </message>
    <message>
        <source>Version {version} — approved {approved}</source>
        <translation>الإصدار {version} — اعتُمد {approved}</translation>
    </message>
    <message>
        <source>(no date)</source>
        <translation>(بلا تاريخ)</translation>
    </message>
    <message>
        <source>current</source>
        <translation>الحالي</translation>
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
    <message>
        <source>Encrypting the database (once): %p%</source>
        <translation>تشفير قاعدة البيانات (مرة واحدة): %p%</translation>
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
        <source>Sync</source>
        <translation>المزامنة</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>الإعدادات</translation>
    </message>
    <message>
        <source>Find a person, register a new one, open a file.</source>
        <translation>البحث عن المستفيدين وتسجيلهم وفتح ملفاتهم.</translation>
    </message>
    <message>
        <source>Every support request of the branch and where it stands.</source>
        <translation>طلبات الدعم في الفرع جميعها، وما وصل إليه كلٌّ منها.</translation>
    </message>
    <message>
        <source>Requests before the committee and its two-week deadline.</source>
        <translation>الطلبات المعروضة على اللجنة، ومهلة الأسبوعين للرد عليها.</translation>
    </message>
    <message>
        <source>Questions referred to social research, and their answers.</source>
        <translation>الأسئلة المحالة إلى البحث الاجتماعي، وإجاباتها.</translation>
    </message>
    <message>
        <source>Visits, calls and messages on every channel, with follow-ups.</source>
        <translation>الزيارات والاتصالات والرسائل عبر قنوات التواصل كلها، ومتابعاتها.</translation>
    </message>
    <message>
        <source>Approved requests waiting for their service, and those served.</source>
        <translation>الطلبات المعتمدة بانتظار تقديم الخدمة، وما قُدِّمت خدمته.</translation>
    </message>
    <message>
        <source>Ratings, suggestions and complaints, and their answers.</source>
        <translation>تقييمات الرضا والمقترحات والشكاوى، والردود عليها.</translation>
    </message>
    <message>
        <source>The branch&apos;s figures for a period, to print or export.</source>
        <translation>أرقام الفرع لفترة محددة، للطباعة أو التصدير.</translation>
    </message>
    <message>
        <source>The policy and the tools the branch works by.</source>
        <translation>السياسة والأدوات التي يعمل بها الفرع.</translation>
    </message>
    <message>
        <source>The branch&apos;s work sent to head office, and theirs received.</source>
        <translation>إرسال عمل الفرع إلى المركز الرئيسي، واستقبال ما يرد منه.</translation>
    </message>
    <message>
        <source>Who works in this branch, their roles and their accounts.</source>
        <translation>العاملون في الفرع وأدوارهم وحساباتهم.</translation>
    </message>
    <message>
        <source>This laptop and this branch.</source>
        <translation>إعدادات هذا الجهاز وهذا الفرع.</translation>
    </message>
</context>
<context>
    <name>MeetingDialog</name>
    <message>
        <source>Committee meeting</source>
        <translation>اجتماع اللجنة</translation>
    </message>
    <message>
        <source>One name a line</source>
        <translation>اسم في كل سطر</translation>
    </message>
    <message>
        <source>Held on</source>
        <translation>تاريخ الانعقاد</translation>
    </message>
    <message>
        <source>Members present</source>
        <translation>الأعضاء الحاضرون</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>ملاحظات</translation>
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
    <name>PrintForms</name>
    <message>
        <source>The form could not be printed</source>
        <translation>تعذّرت طباعة النموذج</translation>
    </message>
    <message>
        <source>&amp;Print</source>
        <translation>طباعة (&amp;P)</translation>
    </message>
    <message>
        <source>Choose a request, declaration, interview, decision or service in the timeline to print its form.</source>
        <translation>اختر من السجل الزمني طلبًا أو إقرارًا أو مقابلة أو قرارًا أو خدمة لطباعة نموذجه.</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>طباعة… (&amp;P)</translation>
    </message>
    <message>
        <source>Blank support &amp;request form</source>
        <translation>نموذج طلب دعم فارغ (&amp;R)</translation>
    </message>
    <message>
        <source>Blank &amp;declaration</source>
        <translation>نموذج إقرار فارغ (&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Batch print receipts or letters…</source>
        <translation>طباعة إيصالات أو خطابات يوم كامل… (&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Verify a printed form…</source>
        <translation>التحقق من نموذج مطبوع… (&amp;V)</translation>
    </message>
</context>
<context>
    <name>PrintPreviewDialog</name>
    <message>
        <source>Print preview — {title}</source>
        <translation>معاينة الطباعة — {title}</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>الصفحات</translation>
    </message>
    <message>
        <source>Page {page}</source>
        <translation>الصفحة {page}</translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+−)</source>
        <translation>تصغير (Ctrl+−)</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>تصغير</translation>
    </message>
    <message>
        <source>Zoom in (Ctrl++)</source>
        <translation>تكبير (Ctrl++)</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>تكبير</translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation>التكبير</translation>
    </message>
    <message>
        <source>Page width</source>
        <translation>عرض الصفحة</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>طباعة… (&amp;P)</translation>
    </message>
    <message>
        <source>Print on a printer of this computer (Ctrl+P)</source>
        <translation>اطبع على إحدى طابعات هذا الجهاز (Ctrl+P)</translation>
    </message>
    <message>
        <source>&amp;Save as PDF…</source>
        <translation>حفظ بصيغة PDF في ملف… (&amp;S)</translation>
    </message>
    <message>
        <source>Save the document as a PDF file (Ctrl+S)</source>
        <translation>احفظ المستند في ملف PDF (Ctrl+S)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>إغلاق</translation>
    </message>
    <message>
        <source>Page {page} of {pages}</source>
        <translation>الصفحة {page} من {pages}</translation>
    </message>
    <message>
        <source>Print — {title}</source>
        <translation>طباعة — {title}</translation>
    </message>
    <message>
        <source>There is no page to print in the range chosen.</source>
        <translation>لا توجد صفحة للطباعة في النطاق المختار.</translation>
    </message>
    <message>
        <source>Sending the pages to the printer…</source>
        <translation>تُرسَل الصفحات إلى الطابعة…</translation>
    </message>
    <message>
        <source>Sending page {page} of {pages} to the printer…</source>
        <translation>تُرسَل الصفحة {page} من {pages} إلى الطابعة…</translation>
    </message>
    <message>
        <source>Sent to the printer: {pages}.</source>
        <translation>أُرسلت إلى الطابعة: {pages}.</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>حفظ بصيغة PDF</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>مستندات PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>يجري الحفظ…</translation>
    </message>
    <message>
        <source>Saved: {path}</source>
        <translation>حُفظ الملف: {path}</translation>
    </message>
    <message>
        <source>Printing was stopped: the preview was closed.</source>
        <translation>توقّفت الطباعة: أُغلقت نافذة المعاينة.</translation>
    </message>
</context>
<context>
    <name>PrintQueueModel</name>
    <message>
        <source>Form</source>
        <translation>النموذج</translation>
    </message>
    <message>
        <source>Queued on</source>
        <translation>أُضيف في</translation>
    </message>
    <message>
        <source>Queued by</source>
        <translation>أضافه</translation>
    </message>
</context>
<context>
    <name>PrintRun</name>
    <message>
        <source>the printer</source>
        <translation>الطابعة</translation>
    </message>
    <message>
        <source>Printing to the file {path} failed: it could not be written. Choose another folder or name. Nothing was printed.</source>
        <translation>تعذّرت الطباعة إلى الملف {path}: لم تمكن الكتابة فيه. اختر مجلدًا أو اسمًا آخر. لم يُطبع شيء.</translation>
    </message>
    <message>
        <source>The printer “{printer}” could not start printing. Check that it is switched on and connected, then try again. Nothing was printed.</source>
        <translation>تعذّر على الطابعة «{printer}» بدء الطباعة. تأكّد أنها مشغّلة وموصولة، ثم حاول مرة أخرى. لم يُطبع شيء.</translation>
    </message>
    <message>
        <source>The printer “{printer}” reported an error at page {page}. Check the printer and print again; pages after it were not sent.</source>
        <translation>أبلغت الطابعة «{printer}» عن خطأ عند الصفحة {page}. افحص الطابعة ثم اطبع مرة أخرى؛ لم تُرسَل الصفحات التي بعدها.</translation>
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
    <name>PublishDialog</name>
    <message>
        <source>Publish a reference document</source>
        <translation>نشر وثيقة مرجعية</translation>
    </message>
    <message>
        <source>e.g. 2.0</source>
        <translation>مثل 2.0</translation>
    </message>
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
        <source>Next review</source>
        <translation>المراجعة القادمة</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>النص</translation>
    </message>
    <message>
        <source>The document reaches every branch's laptops when they sync. A new version keeps the earlier ones in the library.</source>
        <translation>تصل الوثيقة إلى أجهزة الفروع كلها عند المزامنة. ويبقى الإصدار السابق في المكتبة عند نشر إصدار جديد.</translation>
    </message>
</context>
<context>
    <name>RatingField</name>
    <message>
        <source>{min} to {max}</source>
        <translation>من {min} إلى {max}</translation>
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
        <source>The person's situation and why they need support</source>
        <comment>feminine</comment>
        <translation>حال المستفيدة وسبب حاجتها إلى الدعم</translation>
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
        <source>If the procedure is unclear to the person, refer their question to the social research officer: it appears in the officer's queue. Otherwise just go on.</source>
        <comment>feminine</comment>
        <translation>إذا لم تكن الإجراءات واضحة للمستفيدة فأحِل سؤالها إلى مسؤول البحث الاجتماعي ليظهر في قائمة أعماله، وإلا فتابع.</translation>
    </message>
    <message>
        <source>&amp;Refer to social research: the procedure is unclear to the person</source>
        <translation>أحِل إلى البحث الاجتماعي: الإجراءات غير واضحة للمستفيد (&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Refer to social research: the procedure is unclear to the person</source>
        <comment>feminine</comment>
        <translation>أحِل إلى البحث الاجتماعي: الإجراءات غير واضحة للمستفيدة (&amp;R)</translation>
    </message>
    <message>
        <source>What the person wants to understand</source>
        <translation>ما يريد المستفيد فهمه</translation>
    </message>
    <message>
        <source>What the person wants to understand</source>
        <comment>feminine</comment>
        <translation>ما تريد المستفيدة فهمه</translation>
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
        <source>The person's &amp;question</source>
        <comment>feminine</comment>
        <translation>سؤال المستفيدة (&amp;Q)</translation>
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
    <name>ReferralItemsModel</name>
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
    <name>ReportDialog</name>
    <message>
        <source>Social research report</source>
        <translation>تقرير البحث الاجتماعي</translation>
    </message>
    <message>
        <source>Home visit on</source>
        <translation>تاريخ الزيارة المنزلية</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>النتائج</translation>
    </message>
    <message>
        <source>Recommendation</source>
        <translation>التوصية</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>Reports</source>
        <translation>التقارير</translation>
    </message>
    <message>
        <source>Hijri month</source>
        <translation>شهر هجري</translation>
    </message>
    <message>
        <source>Hijri year</source>
        <translation>سنة هجرية</translation>
    </message>
    <message>
        <source>Gregorian month</source>
        <translation>شهر ميلادي</translation>
    </message>
    <message>
        <source>From date to date</source>
        <translation>من تاريخ إلى تاريخ</translation>
    </message>
    <message>
        <source>to</source>
        <translation>إلى</translation>
    </message>
    <message>
        <source>All branches</source>
        <translation>جميع الفروع</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>الفرع</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>الفترة</translation>
    </message>
    <message>
        <source>Requests received</source>
        <translation>الطلبات الواردة</translation>
    </message>
    <message>
        <source>Median days to the committee's answer</source>
        <translation>وسيط أيام رد اللجنة</translation>
    </message>
    <message>
        <source>Answered within the deadline</source>
        <translation>نسبة الرد ضمن المهلة</translation>
    </message>
    <message>
        <source>Services delivered</source>
        <translation>الخدمات المقدَّمة</translation>
    </message>
    <message>
        <source>Overall satisfaction (1–5)</source>
        <translation>الرضا العام (1–5)</translation>
    </message>
    <message>
        <source>Complaints not closed</source>
        <translation>الشكاوى غير المغلقة</translation>
    </message>
    <message>
        <source>Requests by status</source>
        <translation>الطلبات حسب الحالة</translation>
    </message>
    <message>
        <source>Requests by channel</source>
        <translation>الطلبات حسب قناة التواصل</translation>
    </message>
    <message>
        <source>Requests by type</source>
        <translation>الطلبات حسب النوع</translation>
    </message>
    <message>
        <source>Requests received by month</source>
        <translation>الطلبات الواردة حسب الشهر</translation>
    </message>
    <message>
        <source>Days from submission to the committee's answer</source>
        <translation>الأيام من رفع الطلب إلى رد اللجنة</translation>
    </message>
    <message>
        <source>The two-week deadline</source>
        <translation>مهلة الأسبوعين</translation>
    </message>
    <message>
        <source>The deadline by the month the answer was due</source>
        <translation>المهلة حسب شهر استحقاق الرد</translation>
    </message>
    <message>
        <source>Amounts delivered by service (SAR)</source>
        <translation>المبالغ المسلَّمة حسب الخدمة (ريال)</translation>
    </message>
    <message>
        <source>Deliveries by service</source>
        <translation>مرات تقديم الخدمة حسب نوعها</translation>
    </message>
    <message>
        <source>Deliveries by month</source>
        <translation>مرات تقديم الخدمة حسب الشهر</translation>
    </message>
    <message>
        <source>Satisfaction by month (average, 1–5)</source>
        <translation>الرضا حسب الشهر (المتوسط، 1–5)</translation>
    </message>
    <message>
        <source>Overall satisfaction by channel</source>
        <translation>الرضا العام حسب قناة التواصل</translation>
    </message>
    <message>
        <source>Overall satisfaction by service</source>
        <translation>الرضا العام حسب الخدمة</translation>
    </message>
    <message>
        <source>Overall ratings given</source>
        <translation>التقييمات العامة الممنوحة</translation>
    </message>
    <message>
        <source>Complaints received by status</source>
        <translation>الشكاوى الواردة حسب الحالة</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>الطلبات</translation>
    </message>
    <message>
        <source>The committee</source>
        <translation>لجنة البحث</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>الخدمات</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>الرضا</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>الشكاوى</translation>
    </message>
    <message>
        <source>Save as Excel…</source>
        <translation>حفظ بصيغة إكسل…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>حفظ بصيغة PDF…</translation>
    </message>
    <message>
        <source>Save the period's requests (Excel)…</source>
        <translation>حفظ طلبات الفترة (إكسل)…</translation>
    </message>
    <message>
        <source>Every request of the period, one row each, dates in Hijri and Gregorian</source>
        <translation>كل طلب ورد في الفترة في سطر، بتواريخه الهجرية والميلادية</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>جارٍ التحميل…</translation>
    </message>
    <message>
        <source>all branches</source>
        <translation>جميع الفروع</translation>
    </message>
    <message>
        <source>{period} — {branch}</source>
        <translation>{period} — {branch}</translation>
    </message>
    <message>
        <source>{amount} SAR requested</source>
        <translation>{amount} ريال مطلوبة</translation>
    </message>
    <message>
        <source>9 in 10 within {days} ({count} answered)</source>
        <translation>9 من كل 10 خلال {days} (رُدّ على {count})</translation>
    </message>
    <message>
        <source>{late} late, {overdue} open past the deadline</source>
        <translation>{late} بعد الموعد، و{overdue} بلا رد تجاوزت المهلة</translation>
    </message>
    <message>
        <source>{amount} SAR to {people}</source>
        <translation>{amount} ريال لـ{people}</translation>
    </message>
    <message>
        <source>{overdue} overdue</source>
        <translation>{overdue} متأخرة</translation>
    </message>
    <message>
        <source>Requests answered</source>
        <translation>الطلبات التي رُدّ عليها</translation>
    </message>
    <message>
        <source>No request was answered in this period.</source>
        <translation>لم تردّ اللجنة على أي طلب في هذه الفترة.</translation>
    </message>
    <message>
        <source>Median {median}; 9 in 10 within {p90}; {returned} returned for more information.</source>
        <translation>الوسيط {median}؛ 9 من كل 10 خلال {p90}؛ وأُعيد {returned} لاستكمال المعلومات.</translation>
    </message>
    <message>
        <source>Answered on time</source>
        <translation>رُدّ عليها في الموعد</translation>
    </message>
    <message>
        <source>Answered late</source>
        <translation>رُدّ عليها بعد الموعد</translation>
    </message>
    <message>
        <source>Open and overdue</source>
        <translation>بلا رد وتجاوزت الموعد</translation>
    </message>
    <message>
        <source>Open, not yet due</source>
        <translation>بلا رد ولم يحن موعدها</translation>
    </message>
    <message>
        <source>Paused (more information requested)</source>
        <translation>متوقفة (طُلبت معلومات إضافية)</translation>
    </message>
    <message>
        <source>Withdrawn before an answer</source>
        <translation>سُحبت قبل الرد</translation>
    </message>
    <message>
        <source>Amount (SAR)</source>
        <translation>المبلغ (ريال)</translation>
    </message>
    <message>
        <source>Deliveries</source>
        <translation>مرات التقديم</translation>
    </message>
    <message>
        <source>Overall</source>
        <translation>التقييم العام</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>السرعة</translation>
    </message>
    <message>
        <source>Courtesy</source>
        <translation>حسن التعامل</translation>
    </message>
    <message>
        <source>Clarity</source>
        <translation>الوضوح</translation>
    </message>
    <message>
        <source>Surveys</source>
        <translation>الاستبيانات</translation>
    </message>
    <message>
        <source>Counted by service, channel, branch and month, never by member of staff.</source>
        <translation>يُحسب حسب الخدمة والقناة والفرع والشهر، ولا يُحسب حسب الموظف أبدًا.</translation>
    </message>
    <message>
        <source>{count} not closed, {overdue} of them past their due date.</source>
        <translation>لم تُغلق {count}، منها {overdue} تجاوزت موعد الرد.</translation>
    </message>
    <message>
        <source>The {shown} most overdue are listed.</source>
        <translation>تُعرض أكثر {shown} شكوى تأخرًا.</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>ملف إكسل (*.xlsx)</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>ملف PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation>حفظ التقرير</translation>
    </message>
    <message>
        <source>Saving {name}…</source>
        <translation>جارٍ حفظ {name}…</translation>
    </message>
    <message>
        <source>Saved {rows} to {path}.</source>
        <translation>حُفظ {rows} في {path}.</translation>
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
        <source>Record &amp;delivery…</source>
        <translation>تسجيل ال&amp;تسليم…</translation>
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
        <source>Overdue by {days}</source>
        <translation>متأخر؛ مدة التأخر: {days}</translation>
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
    <name>ResearchPage</name>
    <message>
        <source>Answer…</source>
        <translation>رُدّ…</translation>
    </message>
    <message>
        <source>Write a report…</source>
        <translation>اكتب تقريرًا…</translation>
    </message>
    <message>
        <source>Social research</source>
        <translation>البحث الاجتماعي</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>جارٍ التحميل…</translation>
    </message>
    <message>
        <source>Open referrals ({count})</source>
        <translation>إحالات مفتوحة ({count})</translation>
    </message>
    <message>
        <source>Requests before the committee without a research report ({count})</source>
        <translation>طلبات أمام اللجنة بلا تقرير بحث ({count})</translation>
    </message>
    <message>
        <source>Nothing is waiting for research.</source>
        <translation>لا شيء بانتظار البحث.</translation>
    </message>
    <message>
        <source>Waiting for research: {count}.</source>
        <translation>بانتظار البحث: {count}.</translation>
    </message>
    <message>
        <source>Request {number} — {person} ({file}). {deadline}</source>
        <translation>الطلب {number} — {person} ({file}). {deadline}</translation>
    </message>
    <message>
        <source>The research report is saved.</source>
        <translation>حُفظ تقرير البحث.</translation>
    </message>
    <message>
        <source>{person} ({file}): {question}</source>
        <translation>{person} ({file}): {question}</translation>
    </message>
    <message>
        <source>The referral is answered.</source>
        <translation>تم الرد على الإحالة.</translation>
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
    <name>BranchDetailsBox</name>
    <message>
        <source>Branch</source>
        <translation>الفرع</translation>
    </message>
    <message>
        <source>Branch name</source>
        <translation>اسم الفرع</translation>
    </message>
    <message>
        <source>Branch phone</source>
        <translation>هاتف الفرع</translation>
    </message>
    <message>
        <source>Branch address</source>
        <translation>عنوان الفرع</translation>
    </message>
    <message>
        <source>Working days</source>
        <translation>أيام العمل</translation>
    </message>
    <message>
        <source>HQ sets the branch&apos;s details; they arrive with each sync and cannot be changed on this laptop.</source>
        <translation>يحدد المركز الرئيسي بيانات الفرع؛ تصل مع كل مزامنة ولا يمكن تغييرها على هذا الجهاز.</translation>
    </message>
    <message>
        <source>Save the branch details</source>
        <translation>حفظ بيانات الفرع</translation>
    </message>
    <message>
        <source>The branch details are saved.</source>
        <translation>حُفظت بيانات الفرع.</translation>
    </message>
    <message>
        <source>Some fields need correcting.</source>
        <translation>بعض الحقول تحتاج إلى تصحيح.</translation>
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
        <source>The person signs here with the mouse, a pen or a finger.</source>
        <comment>feminine</comment>
        <translation>توقّع المستفيدة هنا بالفأرة أو بالقلم أو بالإصبع.</translation>
    </message>
    <message>
        <source>Sign here</source>
        <translation>وقّع هنا</translation>
    </message>
    <message>
        <source>Sign here</source>
        <comment>feminine</comment>
        <translation>وقّعي هنا</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Branch: {name}</source>
        <translation>الفرع: {name}</translation>
    </message>
    <message>
        <source>Linked to HQ</source>
        <translation>مرتبط بالمركز الرئيسي</translation>
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
        <source>Tell the person that the request goes to the research committee, which answers with acceptance or rejection by the date below. Next submits the request.</source>
        <comment>feminine</comment>
        <translation>أبلغ المستفيدة أن طلبها يُرفع إلى لجنة البحث، وأنها تردّ بالقبول أو الرفض في موعد أقصاه التاريخ أدناه. زر «التالي» يرفع الطلب.</translation>
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
        <source>If submitted today, the committee answers by {date} (in {days}).</source>
        <translation>إذا رُفع الطلب اليوم فإن اللجنة تردّ في موعد أقصاه {date} (خلال {days}).</translation>
    </message>
    <message>
        <source>Submitted. The research committee answers by {date}.</source>
        <translation>رُفع الطلب. تردّ لجنة البحث في موعد أقصاه {date}.</translation>
    </message>
    <message>
        <source>Tell the person this date; it is printed on their receipt.</source>
        <translation>أبلغ المستفيد بهذا التاريخ؛ وهو مطبوع على إيصاله.</translation>
    </message>
    <message>
        <source>Tell the person this date; it is printed on their receipt.</source>
        <comment>feminine</comment>
        <translation>أبلغ المستفيدة بهذا التاريخ؛ وهو مطبوع على إيصالها.</translation>
    </message>
</context>
<context>
    <name>SurveyDialog</name>
    <message>
        <source>Satisfaction survey</source>
        <translation>استبيان الرضا</translation>
    </message>
    <message>
        <source>Rating the service is the beneficiary's right and helps us improve; it is never used to blame anyone. 1 = poor, 5 = excellent.</source>
        <translation>تقييم الخدمة حق للمستفيد وأداة للتطوير، ولا يُستخدم لمحاسبة أحد. 1 = ضعيف، 5 = ممتاز.</translation>
    </message>
    <message>
        <source>Rating the service is the beneficiary's right and helps us improve; it is never used to blame anyone. 1 = poor, 5 = excellent.</source>
        <comment>feminine</comment>
        <translation>تقييم الخدمة حق للمستفيدة وأداة للتطوير، ولا يُستخدم لمحاسبة أحد. 1 = ضعيف، 5 = ممتاز.</translation>
    </message>
    <message>
        <source>No particular contact or service</source>
        <translation>دون تواصل أو خدمة بعينها</translation>
    </message>
    <message>
        <source>The person prefers to stay &amp;anonymous</source>
        <translation>يفضّل المستفيد عدم ذكر &amp;اسمه</translation>
    </message>
    <message>
        <source>The person prefers to stay &amp;anonymous</source>
        <comment>feminine</comment>
        <translation>تفضّل المستفيدة عدم ذكر &amp;اسمها</translation>
    </message>
    <message>
        <source>About</source>
        <translation>الموضوع</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>المستفيد</translation>
    </message>
    <message>
        <source>Person</source>
        <comment>feminine</comment>
        <translation>المستفيدة</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>قناة التواصل</translation>
    </message>
    <message>
        <source>Overall (required)</source>
        <translation>التقييم العام (مطلوب)</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>السرعة</translation>
    </message>
    <message>
        <source>Courtesy</source>
        <translation>حسن التعامل</translation>
    </message>
    <message>
        <source>Clarity</source>
        <translation>الوضوح</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>ملاحظة</translation>
    </message>
    <message>
        <source>Service: {service}, request {number} — {person} — {date}</source>
        <translation>خدمة: {service}، الطلب {number} — {person} — {date}</translation>
    </message>
    <message>
        <source>Contact by {channel}: {subject} — {person} — {date}</source>
        <translation>تواصل عبر {channel}: {subject} — {person} — {date}</translation>
    </message>
    <message>
        <source>an inquirer</source>
        <translation>مستفسر</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>جارٍ التحميل…</translation>
    </message>
    <message>
        <source>Anonymous: the survey does not record who answered it.</source>
        <translation>دون ذكر الاسم: لا يسجّل الاستبيان من أجاب عنه.</translation>
    </message>
</context>
<context>
    <name>SurveyOffer</name>
    <message>
        <source>Take the &amp;survey…</source>
        <translation>إجراء &amp;الاستبيان…</translation>
    </message>
    <message>
        <source>Not &amp;now</source>
        <translation>&amp;ليس الآن</translation>
    </message>
</context>
<context>
    <name>SurveysModel</name>
    <message>
        <source>Date</source>
        <translation>التاريخ</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>قناة التواصل</translation>
    </message>
    <message>
        <source>Overall</source>
        <translation>التقييم العام</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>السرعة</translation>
    </message>
    <message>
        <source>Courtesy</source>
        <translation>حسن التعامل</translation>
    </message>
    <message>
        <source>Clarity</source>
        <translation>الوضوح</translation>
    </message>
    <message>
        <source>About</source>
        <translation>الموضوع</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>المستفيد</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>ملاحظة</translation>
    </message>
    <message>
        <source>Request {number}</source>
        <translation>الطلب {number}</translation>
    </message>
    <message>
        <source>A contact</source>
        <translation>تواصل</translation>
    </message>
    <message>
        <source>Anonymous</source>
        <translation>دون ذكر الاسم</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Sync with head office</source>
        <translation>المزامنة مع المركز الرئيسي</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>التعارضات</translation>
    </message>
    <message>
        <source>Quarantined changes</source>
        <translation>التغييرات المعزولة</translation>
    </message>
    <message>
        <source>Sync is not available in this copy of the app.</source>
        <translation>المزامنة غير متاحة في هذه النسخة من التطبيق.</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>المزامنة</translation>
    </message>
    <message>
        <source>Last successful sync</source>
        <translation>آخر مزامنة ناجحة</translation>
    </message>
    <message>
        <source>Changes waiting to be sent</source>
        <translation>تغييرات بانتظار الإرسال</translation>
    </message>
    <message>
        <source>Open conflicts</source>
        <translation>تعارضات مفتوحة</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>زامن الآن</translation>
    </message>
    <message>
        <source>The value in use</source>
        <translation>القيمة المعمول بها</translation>
    </message>
    <message>
        <source>Keep this</source>
        <translation>اعتمد هذه</translation>
    </message>
    <message>
        <source>The other value</source>
        <translation>القيمة الأخرى</translation>
    </message>
    <message>
        <source>Keep the other</source>
        <translation>اعتمد الأخرى</translation>
    </message>
    <message>
        <source>Or type a new value</source>
        <translation>أو اكتب قيمة جديدة</translation>
    </message>
    <message>
        <source>Keep the typed value</source>
        <translation>اعتمد القيمة المكتوبة</translation>
    </message>
    <message>
        <source>These changes could not be applied; the rest of the sync went on without them. Read the reason and put things right, then retry a change received from HQ, or dismiss the entry.</source>
        <translation>تعذّر تطبيق هذه التغييرات، ومضت بقية المزامنة من دونها. اقرأ السبب وعالج الأمر، ثم أعد محاولة التغيير الوارد من المركز الرئيسي، أو أغلق القيد.</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>إغلاق القيد</translation>
    </message>
    <message>
        <source>never</source>
        <translation>لم تتم بعد</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>غير متصل</translation>
    </message>
    <message>
        <source>Conflicts ({count})</source>
        <translation>التعارضات ({count})</translation>
    </message>
    <message>
        <source>Sent by this laptop</source>
        <translation>أرسله هذا الجهاز</translation>
    </message>
    <message>
        <source>Received from HQ</source>
        <translation>ورد من المركز الرئيسي</translation>
    </message>
    <message>
        <source>{record} — {direction}, {when}
Reason: {reason}</source>
        <translation>{record} — {direction}، {when}
السبب: {reason}</translation>
    </message>
    <message>
        <source>Quarantined changes ({count})</source>
        <translation>التغييرات المعزولة ({count})</translation>
    </message>
    <message>
        <source>No open conflicts: every value agrees with HQ.</source>
        <translation>لا تعارضات مفتوحة: كل القيم متفقة مع المركز الرئيسي.</translation>
    </message>
    <message>
        <source>{record}: {field}</source>
        <translation>{record}: {field}</translation>
    </message>
    <message>
        <source>Written on {device}</source>
        <translation>كُتبت على {device}</translation>
    </message>
    <message>
        <source>Written on {device}; set aside on {when}</source>
        <translation>كُتبت على {device}؛ وجُنّبت في {when}</translation>
    </message>
    <message>
        <source>Only a branch manager or HQ can resolve a conflict.</source>
        <translation>حل التعارضات لمدير الفرع أو المركز الرئيسي فقط.</translation>
    </message>
    <message>
        <source>Type the value to keep, or pick one of the two.</source>
        <translation>اكتب القيمة المراد اعتمادها، أو اختر إحدى القيمتين.</translation>
    </message>
    <message>
        <source>This field takes a whole number, e.g. 5.</source>
        <translation>هذا الحقل يقبل عددًا صحيحًا، مثل: 5.</translation>
    </message>
    <message>
        <source>Resolved. The value kept reaches HQ with the next sync.</source>
        <translation>تم الحل. تصل القيمة المعتمدة إلى المركز الرئيسي مع المزامنة القادمة.</translation>
    </message>
    <message>
        <source>Enrolling this laptop with HQ…</source>
        <translation>جارٍ تسجيل هذا الجهاز لدى المركز الرئيسي…</translation>
    </message>
    <message>
        <source>This laptop is enrolled. Its branch's data is coming now.</source>
        <translation>سُجّل هذا الجهاز. بيانات فرعه في الطريق الآن.</translation>
    </message>
    <message>
        <source>Syncing with HQ…</source>
        <translation>جارٍ المزامنة مع المركز الرئيسي…</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>جارٍ المزامنة…</translation>
    </message>
    <message>
        <source>Sending changes</source>
        <translation>إرسال التغييرات</translation>
    </message>
    <message>
        <source>Receiving changes</source>
        <translation>استلام التغييرات</translation>
    </message>
    <message>
        <source>Receiving files</source>
        <translation>استلام الملفات</translation>
    </message>
    <message>
        <source>Synced: {pushed} sent, {pulled} received; open conflicts: {conflicts}; quarantined: {quarantined}.</source>
        <translation>تمت المزامنة: أُرسل {pushed} واستُلم {pulled}؛ التعارضات المفتوحة: {conflicts}؛ المعزولة: {quarantined}.</translation>
    </message>
    <message>
        <source>Sync failed</source>
        <translation>تعذّرت المزامنة</translation>
    </message>
    <message>
        <source>Synced {time}</source>
        <translation>تمت المزامنة {time}</translation>
    </message>
    <message>
        <source>{count} conflicts</source>
        <translation>تعارضات: {count}</translation>
    </message>
    <message>
        <source>{count} quarantined</source>
        <translation>معزولة: {count}</translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation>لم تتم المزامنة بعد</translation>
    </message>
    <message>
        <source>Beneficiary's file</source>
        <translation>ملف المستفيد</translation>
    </message>
    <message>
        <source>Support request</source>
        <translation>طلب الدعم</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>التواصل</translation>
    </message>
    <message>
        <source>Document check</source>
        <translation>التحقق من المستند</translation>
    </message>
    <message>
        <source>Service delivery</source>
        <translation>تقديم الخدمة</translation>
    </message>
    <message>
        <source>Suggestion or complaint</source>
        <translation>اقتراح أو شكوى</translation>
    </message>
    <message>
        <source>Satisfaction survey</source>
        <translation>استبيان الرضا</translation>
    </message>
    <message>
        <source>Referral to social research</source>
        <translation>الإحالة إلى البحث الاجتماعي</translation>
    </message>
    <message>
        <source>Social research report</source>
        <translation>تقرير البحث الاجتماعي</translation>
    </message>
    <message>
        <source>Household member</source>
        <translation>فرد من الأسرة</translation>
    </message>
    <message>
        <source>Source of income</source>
        <translation>مصدر دخل</translation>
    </message>
    <message>
        <source>Phone number</source>
        <translation>رقم الهاتف</translation>
    </message>
    <message>
        <source>Interview</source>
        <translation>المقابلة</translation>
    </message>
    <message>
        <source>Reference document</source>
        <translation>وثيقة مرجعية</translation>
    </message>
    <message>
        <source>User</source>
        <translation>المستخدم</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>الفرع</translation>
    </message>
    <message>
        <source>(deleted)</source>
        <translation>(محذوف)</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>إعادة المحاولة</translation>
    </message>
    <message>
        <source>Apply the change again, once what stopped it has been put right.</source>
        <translation>طبّق التغيير مرة أخرى بعد معالجة ما منع تطبيقه.</translation>
    </message>
    <message>
        <source>HQ refused this change, and would refuse the same change sent again: ask HQ to settle it. To change the record, edit it again here; the new edit is sent with the next sync.</source>
        <translation>رفض المركز الرئيسي هذا التغيير، وسيرفضه إن أُرسل مرة أخرى كما هو: اطلب من المركز الرئيسي تسويته. ولتغيير السجل عدّله هنا من جديد، فيُرسل التعديل الجديد مع المزامنة التالية.</translation>
    </message>
    <message>
        <source>Applying the change again…</source>
        <translation>جارٍ تطبيق التغيير مرة أخرى…</translation>
    </message>
    <message>
        <source>It still cannot be applied, so it stays here. Reason: {reason}</source>
        <translation>ما زال تطبيقه متعذرًا، فيبقى هنا. السبب: {reason}</translation>
    </message>
    <message>
        <source>The change is applied now and has left the list.</source>
        <translation>طُبّق التغيير الآن وخرج من القائمة.</translation>
    </message>
    <message>
        <source>Nothing was left to apply: the record already holds newer values from HQ. The entry has left the list.</source>
        <translation>لم يبقَ ما يُطبَّق: يحمل السجل قيمًا أحدث من المركز الرئيسي. خرج القيد من القائمة.</translation>
    </message>
    <message>
        <source>This laptop is not enrolled: see the field marked.</source>
        <translation>لم يُسجَّل هذا الجهاز: انظر الحقل المشار إليه.</translation>
    </message>
</context>
<context>
    <name>EnrolmentBox</name>
    <message>
        <source>Head office</source>
        <translation>المركز الرئيسي</translation>
    </message>
    <message>
        <source>optional, e.g. Riyadh delegate 2</source>
        <translation>اختياري، مثل: مندوب الرياض 2</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>استعراض…</translation>
    </message>
    <message>
        <source>For an HQ with a certificate of its own: the fingerprint HQ gave you, as openssl x509 -noout -fingerprint -sha256 prints it.</source>
        <translation>لمركز رئيسي بشهادة خاصة به: البصمة التي أعطاك إياها المركز الرئيسي، كما يطبعها الأمر openssl x509 -noout -fingerprint -sha256.</translation>
    </message>
    <message>
        <source>HQ address</source>
        <translation>عنوان المركز الرئيسي</translation>
    </message>
    <message>
        <source>Enrolment code</source>
        <translation>رمز التسجيل</translation>
    </message>
    <message>
        <source>Name of this laptop</source>
        <translation>اسم هذا الجهاز</translation>
    </message>
    <message>
        <source>Society CA certificate (optional)</source>
        <translation>شهادة جهة التصديق للجمعية (اختياري)</translation>
    </message>
    <message>
        <source>HQ certificate fingerprint, pin (optional)</source>
        <translation>بصمة شهادة المركز الرئيسي للتثبيت (اختياري)</translation>
    </message>
    <message>
        <source>Enrol this laptop</source>
        <translation>سجّل هذا الجهاز</translation>
    </message>
    <message>
        <source>Only a branch manager or HQ can enrol a laptop.</source>
        <translation>تسجيل الجهاز لمدير الفرع أو المركز الرئيسي فقط.</translation>
    </message>
    <message>
        <source>This laptop is enrolled with HQ at {server}.</source>
        <translation>هذا الجهاز مسجّل لدى المركز الرئيسي على {server}.</translation>
    </message>
    <message>
        <source>This laptop works on its own. Type HQ's address and the code HQ gave you to enrol it; everything already on it is kept.</source>
        <translation>يعمل هذا الجهاز مستقلًا. اكتب عنوان المركز الرئيسي والرمز الذي أعطاك إياه لتسجيله؛ ويبقى كل ما عليه محفوظًا.</translation>
    </message>
    <message>
        <source>Society CA certificate</source>
        <translation>شهادة جهة التصديق للجمعية</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>الشهادات (*.pem *.crt *.cer);;كل الملفات (*)</translation>
    </message>
    <message>
        <source>Type HQ's address, e.g. https://hq.example.org</source>
        <translation>اكتب عنوان المركز الرئيسي، مثل: https://hq.example.org</translation>
    </message>
    <message>
        <source>This is not a web address: it starts with https:// (or http://) and has no spaces, e.g. https://hq.example.org</source>
        <translation>هذا ليس عنوان ويب: يبدأ بـ https://‏ (أو http://‏) ولا مسافات فيه، مثل: https://hq.example.org</translation>
    </message>
    <message>
        <source>Type the one-time enrolment code HQ gave you.</source>
        <translation>اكتب رمز التسجيل لمرة واحدة الذي أعطاك إياه المركز الرئيسي.</translation>
    </message>
    <message>
        <source>Give HQ's CA file or its certificate fingerprint, not both.</source>
        <translation>أدخل ملف جهة التصديق للمركز الرئيسي أو بصمة شهادته، لا كليهما.</translation>
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
    <name>_Card</name>
    <message>
        <source>Open the list</source>
        <translation>فتح القائمة كاملة</translation>
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
        <source>No suggestion or complaint is overdue.</source>
        <translation>لا مقترح ولا شكوى متأخر الرد عليها.</translation>
    </message>
    <message>
        <source>No suggestion or complaint is due soon.</source>
        <translation>لا مقترح ولا شكوى يحين موعد الرد عليها قريبًا.</translation>
    </message>
    <message>
        <source>Open in suggestions and complaints</source>
        <translation>فتح في المقترحات والشكاوى</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>جارٍ التحميل…</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>اليوم</translation>
    </message>
    <message>
        <source>Follow-ups due</source>
        <translation>متابعات مستحقة</translation>
    </message>
    <message>
        <source>Requests overdue for the committee's answer</source>
        <translation>طلبات تأخر رد اللجنة عليها</translation>
    </message>
    <message>
        <source>Requests due within {days}</source>
        <translation>طلبات يستحق الرد عليها خلال {days}</translation>
    </message>
    <message>
        <source>Open referrals to social research</source>
        <translation>إحالات مفتوحة إلى البحث الاجتماعي</translation>
    </message>
    <message>
        <source>Requests awaiting the committee's decision</source>
        <translation>طلبات بانتظار قرار اللجنة</translation>
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
        <source>Suggestions and complaints overdue for an answer</source>
        <translation>مقترحات وشكاوى تأخر الرد عليها</translation>
    </message>
    <message>
        <source>Suggestions and complaints due within {days}</source>
        <translation>مقترحات وشكاوى يستحق الرد عليها خلال {days}</translation>
    </message>
    <message>
        <source>The follow-up is done.</source>
        <translation>تمت المتابعة.</translation>
    </message>
</context>
<context>
    <name>VerifyDialog</name>
    <message>
        <source>Verify a printed form</source>
        <translation>التحقق من نموذج مطبوع</translation>
    </message>
    <message>
        <source>Type or paste the verification code printed at the foot of the form. A paper from another branch can be checked once this laptop has synced.</source>
        <translation>اكتب رمز التحقق المطبوع أسفل النموذج أو الصقه. يمكن التحقق من أوراق الفروع الأخرى بعد مزامنة هذا الجهاز.</translation>
    </message>
    <message>
        <source>Verification code</source>
        <translation>رمز التحقق</translation>
    </message>
    <message>
        <source>&amp;Code</source>
        <translation>الرمز (&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Verify</source>
        <translation>تحقّق (&amp;V)</translation>
    </message>
    <message>
        <source>Every value printed on the paper, and the record now:</source>
        <translation>كل قيمة مطبوعة على الورقة، وما في السجل الآن:</translation>
    </message>
    <message>
        <source>Printed values and the record now</source>
        <translation>القيم المطبوعة والسجل الآن</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>البيان</translation>
    </message>
    <message>
        <source>As printed</source>
        <translation>كما طُبع</translation>
    </message>
    <message>
        <source>In the record now</source>
        <translation>في السجل الآن</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>إغلاق</translation>
    </message>
    <message>
        <source>Type or paste the code printed on the form.</source>
        <translation>اكتب الرمز المطبوع على النموذج أو الصقه.</translation>
    </message>
    <message>
        <source>✓ The paper is genuine and matches the record.</source>
        <translation>✓ الورقة أصلية ومطابقة للسجل.</translation>
    </message>
    <message>
        <source>✗ No paper was printed with this code.</source>
        <translation>✗ لم تُطبع أي ورقة بهذا الرمز.</translation>
    </message>
    <message>
        <source>✗ The paper is not genuine.</source>
        <translation>✗ الورقة ليست أصلية.</translation>
    </message>
    <message>
        <source>✗ The paper does not match the record now.</source>
        <translation>✗ الورقة لا تطابق السجل الآن.</translation>
    </message>
    <message>
        <source>(not in the record now)</source>
        <translation>(ليس في السجل الآن)</translation>
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
<context>
    <name>page</name>
    <message>
        <source>Research committee</source>
        <translation>لجنة البحث</translation>
    </message>
</context>
<context>
    <name>research</name>
    <message>
        <source>Social research</source>
        <translation>البحث الاجتماعي</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyDialog</name>
    <message>
        <source>Romah Desktop — recovery key</source>
        <translation>رومة لسطح المكتب — مفتاح الاسترداد</translation>
    </message>
    <message>
        <source>This is the recovery key of this laptop's data. If every password is forgotten, it is the only way in. Write it down or save the recovery sheet and print it, and keep it away from the laptop. It is shown only now. If every password and this key are lost, the data is lost: nobody, not even HQ, can open it.</source>
        <translation>هذا مفتاح الاسترداد لبيانات هذا الجهاز. إذا نُسيت كل كلمات المرور فهو الطريق الوحيد إليها. اكتبه أو احفظ ورقة الاسترداد واطبعها، واحفظه بعيدًا عن الجهاز. لن يُعرض إلا الآن. إذا ضاعت كل كلمات المرور وهذا المفتاح ضاعت البيانات: لا يستطيع أحد فتحها، ولا المركز الرئيسي.</translation>
    </message>
    <message>
        <source>Save the recovery sheet (PDF)…</source>
        <translation>حفظ ورقة الاسترداد (PDF)…</translation>
    </message>
    <message>
        <source>I have written down or printed the recovery key</source>
        <translation>كتبتُ مفتاح الاسترداد أو طبعته</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>متابعة</translation>
    </message>
    <message>
        <source>Save the recovery sheet</source>
        <translation>حفظ ورقة الاسترداد</translation>
    </message>
    <message>
        <source>Saved to {path}. Print it, then delete the file.</source>
        <translation>حُفظت في {path}. اطبعها ثم احذف الملف.</translation>
    </message>
</context>
<context>
    <name>AddUserDialog</name>
    <message>
        <source>Add a user</source>
        <translation>إضافة مستخدم</translation>
    </message>
    <message>
        <source>e.g. reem.harbi</source>
        <translation>مثل reem.harbi</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>اسم المستخدم</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>الاسم الكامل</translation>
    </message>
    <message>
        <source>Main role</source>
        <translation>الدور الرئيس</translation>
    </message>
    <message>
        <source>Roles held</source>
        <translation>الأدوار المسندة</translation>
    </message>
    <message>
        <source>First password</source>
        <translation>كلمة المرور الأولى</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>كلمة المرور مرة أخرى</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>كلمتا المرور غير متطابقتين.</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>New password for {name}</source>
        <translation>كلمة مرور جديدة لـ{name}</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>كلمة المرور الجديدة</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>كلمة المرور مرة أخرى</translation>
    </message>
    <message>
        <source>Tell the user the new password in person; they sign in with it on this laptop now, and on the branch&apos;s other laptops after their next sync.</source>
        <translation>أبلغ المستخدم بكلمة المرور الجديدة شخصيًا؛ يدخل بها على هذا الجهاز الآن، وعلى أجهزة الفرع الأخرى بعد مزامنتها التالية.</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>كلمتا المرور غير متطابقتين.</translation>
    </message>
</context>
<context>
    <name>RoleDialog</name>
    <message>
        <source>Change the roles of {name}</source>
        <translation>تغيير أدوار {name}</translation>
    </message>
    <message>
        <source>Main role</source>
        <translation>الدور الرئيس</translation>
    </message>
    <message>
        <source>Roles held</source>
        <translation>الأدوار المسندة</translation>
    </message>
</context>
<context>
    <name>UsersModel</name>
    <message>
        <source>Name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>اسم المستخدم</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>الدور</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>معطّل</translation>
    </message>
    <message>
        <source>Locked (wrong passwords)</source>
        <translation>مقفل (كلمات مرور خاطئة)</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>نشط</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <source>&amp;Add a user…</source>
        <translation>إ&amp;ضافة مستخدم…</translation>
    </message>
    <message>
        <source>Change the &amp;role…</source>
        <translation>تغيير ال&amp;دور…</translation>
    </message>
    <message>
        <source>Reset the &amp;password…</source>
        <translation>تعيين &amp;كلمة مرور جديدة…</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;فك القفل</translation>
    </message>
    <message>
        <source>&amp;Disable</source>
        <translation>&amp;تعطيل</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>المستخدمون</translation>
    </message>
    <message>
        <source>The branch&apos;s staff who sign in on its laptops. A disabled user can no longer sign in; nothing they did is deleted.</source>
        <translation>موظفو الفرع الذين يدخلون على أجهزته. المستخدم المعطّل لا يستطيع الدخول، ولا يُحذف شيء مما عمله.</translation>
    </message>
    <message>
        <source>&amp;Enable</source>
        <translation>&amp;تفعيل</translation>
    </message>
    <message>
        <source>Added the user {name}.</source>
        <translation>أُضيف المستخدم {name}.</translation>
    </message>
    <message>
        <source>The role of {name} is changed.</source>
        <translation>تغيّر دور {name}.</translation>
    </message>
    <message>
        <source>The password of {name} is set.</source>
        <translation>عُيّنت كلمة مرور {name}.</translation>
    </message>
    <message>
        <source>{name} may sign in again.</source>
        <translation>يستطيع {name} الدخول من جديد.</translation>
    </message>
    <message>
        <source>{name} can no longer sign in.</source>
        <translation>لم يعد {name} يستطيع الدخول.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>يجري الحفظ…</translation>
    </message>
</context>
</TS>
