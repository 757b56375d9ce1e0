<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="ar" sourcelanguage="en">
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
        <source>Settings</source>
        <translation>الإعدادات</translation>
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
        <source>Something went wrong ({kind}). Nothing was lost; the log has the details.</source>
        <translation>حدث خطأ ({kind}). لم يُفقد شيء، والتفاصيل في ملف السجل.</translation>
    </message>
</context>
</TS>